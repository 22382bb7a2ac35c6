#!/usr/bin/env python3
"""Reference implementation of Tillit's sample selection (docs/sampling.md).

Usage: sampleref.py SEED K < population.txt   (one item id per line)
Prints the population hash, then the selected items in draw order.
Standard library only: ChaCha20 is written out below (RFC 8439 block
function; with an all-zero nonce the original 64-bit-counter ChaCha20 of
libsodium's crypto_stream_chacha20 and the IETF variant give the same
keystream for the first 2^32 blocks).
"""
import hashlib
import struct
import sys

MASK = 0xFFFFFFFF


def rotl(v, n):
    return ((v << n) & MASK) | (v >> (32 - n))


def quarter(s, a, b, c, d):
    s[a] = (s[a] + s[b]) & MASK; s[d] = rotl(s[d] ^ s[a], 16)
    s[c] = (s[c] + s[d]) & MASK; s[b] = rotl(s[b] ^ s[c], 12)
    s[a] = (s[a] + s[b]) & MASK; s[d] = rotl(s[d] ^ s[a], 8)
    s[c] = (s[c] + s[d]) & MASK; s[b] = rotl(s[b] ^ s[c], 7)


def chacha20_block(key, counter):
    # constants, key, 64-bit block counter, 64-bit nonce (zero)
    state = [0x61707865, 0x3320646E, 0x79622D32, 0x6B206574]
    state += list(struct.unpack("<8I", key))
    state += [counter & MASK, counter >> 32, 0, 0]
    s = state[:]
    for _ in range(10):
        quarter(s, 0, 4, 8, 12); quarter(s, 1, 5, 9, 13)
        quarter(s, 2, 6, 10, 14); quarter(s, 3, 7, 11, 15)
        quarter(s, 0, 5, 10, 15); quarter(s, 1, 6, 11, 12)
        quarter(s, 2, 7, 8, 13); quarter(s, 3, 4, 9, 14)
    return struct.pack("<16I", *[(x + y) & MASK for x, y in zip(s, state)])


class Rng:
    def __init__(self, seed):
        self.key = hashlib.sha256(str(seed).encode()).digest()
        self.counter = 0
        self.buf = b""

    def next64(self):
        if len(self.buf) < 8:
            self.buf = chacha20_block(self.key, self.counter)
            self.counter += 1
        v = struct.unpack("<Q", self.buf[:8])[0]
        self.buf = self.buf[8:]
        return v

    def below(self, m):
        threshold = (2**64 - m) % m
        while True:
            v = self.next64()
            if v >= threshold:
                return v % m


def draw(seed, n, k):
    rng = Rng(seed)
    a = list(range(n))
    out = []
    for i in range(k):
        j = i + rng.below(n - i)
        a[i], a[j] = a[j], a[i]
        out.append(a[i])
    return out


def main():
    seed, k = int(sys.argv[1]), int(sys.argv[2])
    ids = sorted({line.strip() for line in sys.stdin if line.strip()},
                 key=lambda s: s.encode())
    print(hashlib.sha256("\n".join(ids).encode()).hexdigest())
    for i in draw(seed, len(ids), k):
        print(ids[i])


if __name__ == "__main__":
    main()
