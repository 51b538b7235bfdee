#include "CChecksum.h"

#include <pthread.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <nmmintrin.h>
#define ZS_CRC_X86 1
#elif defined(__aarch64__) && defined(__ARM_FEATURE_CRC32)
#include <arm_acle.h>
#define ZS_CRC_ARM 1
#endif

static uint32_t tables[8][256];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void make_tables(void) {
  for (uint32_t n = 0; n < 256; n++) {
    uint32_t c = n;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0x82F63B78u ^ (c >> 1) : c >> 1;
    tables[0][n] = c;
  }
  for (uint32_t n = 0; n < 256; n++)
    for (int k = 1; k < 8; k++) tables[k][n] = (tables[k - 1][n] >> 8) ^ tables[0][tables[k - 1][n] & 0xFF];
}

static uint32_t crc32c_tables(uint32_t c, const uint8_t *p, size_t n) {
  pthread_once(&tables_once, make_tables);
  while (n >= 8) {
    uint32_t lo, hi;
    memcpy(&lo, p, 4);
    memcpy(&hi, p + 4, 4);
    lo ^= c;  /* little-endian hosts only, as the index format itself */
    c = tables[7][lo & 0xFF] ^ tables[6][(lo >> 8) & 0xFF] ^ tables[5][(lo >> 16) & 0xFF] ^
        tables[4][lo >> 24] ^ tables[3][hi & 0xFF] ^ tables[2][(hi >> 8) & 0xFF] ^
        tables[1][(hi >> 16) & 0xFF] ^ tables[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n--) c = tables[0][(c ^ *p++) & 0xFF] ^ (c >> 8);
  return c;
}

#if ZS_CRC_X86 && defined(__x86_64__)
/* The instruction takes three cycles and can start one per cycle: one stream of it runs
   at a third of the CPU's speed. Long regions are checked as three streams of LANE bytes
   at once, the first two then shifted past the bytes after them and combined (the CRC is
   linear: crc(a b) = crc(a) * x^(8|b|) + crc(b) mod P, for the register without the
   final xor). Shifting by LANE bytes is four table lookups. */
#define LANE 256

static uint32_t shift_tables[4][256];
static pthread_once_t shift_once = PTHREAD_ONCE_INIT;

/* a * b modulo the Castagnoli polynomial, bit-reflected (bit 31 is x^0). */
static uint32_t multiply_mod_p(uint32_t a, uint32_t b) {
  uint32_t product = 0;
  for (uint32_t m = 1u << 31; m != 0; m >>= 1) {
    if (a & m) product ^= b;
    b = (b & 1) ? (b >> 1) ^ 0x82F63B78u : b >> 1;
  }
  return product;
}

static void make_shift_tables(void) {
  uint32_t power = 1u << 31; /* x^0 */
  for (int i = 0; i < 8 * LANE; i++) power = multiply_mod_p(power, 1u << 30); /* times x */
  for (int k = 0; k < 4; k++)
    for (uint32_t n = 0; n < 256; n++) shift_tables[k][n] = multiply_mod_p(power, n << (8 * k));
}

/* The register `c` followed by LANE zero bytes. */
static inline uint32_t shift_lane(uint32_t c) {
  return shift_tables[0][c & 0xFF] ^ shift_tables[1][(c >> 8) & 0xFF] ^
         shift_tables[2][(c >> 16) & 0xFF] ^ shift_tables[3][c >> 24];
}
#endif

#if ZS_CRC_X86
__attribute__((target("sse4.2"))) static uint32_t crc32c_instruction(uint32_t c, const uint8_t *p,
                                                                      size_t n) {
#if defined(__x86_64__)
  uint64_t wide = c;
  if (n >= 3 * LANE) {
    pthread_once(&shift_once, make_shift_tables);
    while (n >= 3 * LANE) {
      uint64_t b = 0, d = 0;
      for (int i = 0; i < LANE; i += 8) {
        uint64_t x, y, z;
        memcpy(&x, p + i, 8);
        memcpy(&y, p + LANE + i, 8);
        memcpy(&z, p + 2 * LANE + i, 8);
        wide = _mm_crc32_u64(wide, x);
        b = _mm_crc32_u64(b, y);
        d = _mm_crc32_u64(d, z);
      }
      wide = shift_lane(shift_lane((uint32_t)wide) ^ (uint32_t)b) ^ (uint32_t)d;
      p += 3 * LANE;
      n -= 3 * LANE;
    }
  }
  while (n >= 8) {
    uint64_t word;
    memcpy(&word, p, 8);
    wide = _mm_crc32_u64(wide, word);
    p += 8;
    n -= 8;
  }
  c = (uint32_t)wide;
#endif
  while (n--) c = _mm_crc32_u8(c, *p++);
  return c;
}
#elif ZS_CRC_ARM
static uint32_t crc32c_instruction(uint32_t c, const uint8_t *p, size_t n) {
  while (n >= 8) {
    uint64_t word;
    memcpy(&word, p, 8);
    c = __crc32cd(c, word);
    p += 8;
    n -= 8;
  }
  while (n--) c = __crc32cb(c, *p++);
  return c;
}
#endif

uint32_t zs_crc32c_extend(uint32_t crc, const void *data, size_t length) {
  const uint8_t *p = data;
  uint32_t c = crc ^ 0xFFFFFFFFu;
#if ZS_CRC_X86
  /* A load and a bit test: the CPU was identified when the process started. */
  c = __builtin_cpu_supports("sse4.2") ? crc32c_instruction(c, p, length)
                                       : crc32c_tables(c, p, length);
#elif ZS_CRC_ARM
  c = crc32c_instruction(c, p, length);
#else
  c = crc32c_tables(c, p, length);
#endif
  return c ^ 0xFFFFFFFFu;
}

uint32_t zs_crc32c(const void *data, size_t length) { return zs_crc32c_extend(0, data, length); }

/* For tests: the table path whatever the CPU, so both paths can be compared. */
uint32_t zs_crc32c_portable(const void *data, size_t length) {
  return crc32c_tables(0xFFFFFFFFu, data, length) ^ 0xFFFFFFFFu;
}
