package dev.breakglass.fingerprint;

/** The canonical order of map keys: by Unicode code point, which is UTF-8 byte order. */
final class Keys {

  private Keys() {}

  /**
   * Compares two valid UTF-16 strings by code point. UTF-16 code unit order (what
   * {@link String#compareTo} uses) differs from it only when a surrogate meets a unit in
   * U+E000..U+FFFF, which the fix-up below handles.
   */
  static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        if (x >= 0xD800 && y >= 0xD800) {
          return fixup(x) - fixup(y);
        }
        return x - y;
      }
    }
    return a.length() - b.length();
  }

  /** Moves surrogates above U+E000..U+FFFF so code unit order becomes code point order. */
  private static int fixup(char c) {
    if (c >= 0xE000) {
      return c - 0x800;
    }
    if (c >= 0xD800) {
      return c + 0x2000;
    }
    return c;
  }
}
