// SHA-256 in pure TypeScript (shared/ cannot use node:crypto, and WebCrypto is async).
// Streaming: update() encodes text into a fixed 64 KiB buffer and compresses full blocks
// as it goes, so hashing a multi-megabyte plan allocates almost nothing. The backend and
// the CLI plug in node:crypto's (same digest, about 10x faster) with useNativeSha256().

const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

const BUFFER = 65536;

export class Sha256 {
  private readonly h = Int32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  private readonly w = new Int32Array(64);
  private readonly buf = new Uint8Array(BUFFER + 8);
  private n = 0;
  private total = 0;

  /** Adds the UTF-8 bytes of `text` (lone surrogates become U+FFFD, as TextEncoder does). */
  update(text: string): this {
    const buf = this.buf;
    const len = text.length;
    // The write position lives in a local: a field access per character costs more than the encoding.
    let n = this.n;
    let i = 0;
    while (i < len) {
      if (n >= BUFFER) {
        this.n = n;
        this.flush();
        n = this.n;
      }
      // ASCII run: at most one byte per character, so no room check inside the loop.
      const end = Math.min(len, i + (BUFFER - n));
      let c = 0;
      while (i < end && (c = text.charCodeAt(i)) < 0x80) {
        buf[n++] = c;
        i++;
      }
      if (i >= end) continue;
      // One non-ASCII character (at most 4 bytes: the buffer has 8 spare).
      i++;
      if (c < 0x800) {
        buf[n++] = 0xc0 | (c >> 6);
        buf[n++] = 0x80 | (c & 63);
      } else if (c >= 0xd800 && c < 0xdc00 && i < len && (text.charCodeAt(i) & 0xfc00) === 0xdc00) {
        c = 0x10000 + ((c - 0xd800) << 10) + (text.charCodeAt(i++) - 0xdc00);
        buf[n++] = 0xf0 | (c >> 18);
        buf[n++] = 0x80 | ((c >> 12) & 63);
        buf[n++] = 0x80 | ((c >> 6) & 63);
        buf[n++] = 0x80 | (c & 63);
      } else {
        if (c >= 0xd800 && c < 0xe000) c = 0xfffd;
        buf[n++] = 0xe0 | (c >> 12);
        buf[n++] = 0x80 | ((c >> 6) & 63);
        buf[n++] = 0x80 | (c & 63);
      }
    }
    this.n = n;
    return this;
  }

  /** Compresses every whole block in the buffer and keeps the remainder. */
  private flush(): void {
    const whole = this.n & ~63;
    this.blocks(whole);
    this.buf.copyWithin(0, whole, this.n);
    this.total += whole;
    this.n -= whole;
  }

  /** Compresses the blocks in buf[0, end). The state stays in locals across blocks. */
  private blocks(end: number): void {
    const { buf, w, h } = this;
    let h0 = h[0]!, h1 = h[1]!, h2 = h[2]!, h3 = h[3]!, h4 = h[4]!, h5 = h[5]!, h6 = h[6]!, h7 = h[7]!;
    for (let off = 0; off < end; off += 64) {
      for (let i = 0, j = off; i < 16; i++, j += 4) w[i] = (buf[j]! << 24) | (buf[j + 1]! << 16) | (buf[j + 2]! << 8) | buf[j + 3]!;
      for (let i = 16; i < 64; i++) {
        const x = w[i - 15]!;
        const y = w[i - 2]!;
        const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
      }
      let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, hh = h7;
      for (let i = 0; i < 64; i++) {
        const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
        const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0;
      h4 = (h4 + e) | 0; h5 = (h5 + f) | 0; h6 = (h6 + g) | 0; h7 = (h7 + hh) | 0;
    }
    h[0] = h0; h[1] = h1; h[2] = h2; h[3] = h3; h[4] = h4; h[5] = h5; h[6] = h6; h[7] = h7;
  }

  hex(): string {
    this.flush();
    const bitLen = (this.total + this.n) * 8;
    const buf = this.buf;
    buf[this.n++] = 0x80;
    if (this.n > 56) {
      buf.fill(0, this.n, 64);
      this.blocks(64);
      this.n = 0;
    }
    buf.fill(0, this.n, 56);
    const hi = Math.floor(bitLen / 0x100000000);
    const lo = bitLen >>> 0;
    buf[56] = hi >>> 24; buf[57] = hi >>> 16; buf[58] = hi >>> 8; buf[59] = hi;
    buf[60] = lo >>> 24; buf[61] = lo >>> 16; buf[62] = lo >>> 8; buf[63] = lo;
    this.blocks(64);
    return Array.from(this.h, (x) => (x >>> 0).toString(16).padStart(8, '0')).join('');
  }
}

/** Hex SHA-256 of the UTF-8 bytes of a text. */
export type Sha256Hex = (text: string) => string;

const portable: Sha256Hex = (text) => new Sha256().update(text).hex();
let current: Sha256Hex = portable;

/**
 * Uses a platform SHA-256 from now on (the backend passes node:crypto's). It must give
 * the same digests: a plan hash computed in the renderer is compared with the backend's.
 */
export function useNativeSha256(impl: Sha256Hex): void {
  current = impl;
}

export function sha256Hex(text: string): string {
  return current(text);
}

/** This file's own implementation, whatever is plugged in (for tests and the renderer benchmark). */
export const portableSha256Hex = portable;
