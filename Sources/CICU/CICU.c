#include "CICU.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/ucnv.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/uversion.h>

const char *zs_error_name(int32_t error) { return u_errorName((UErrorCode)error); }

void zs_icu_version(char *buffer, int32_t capacity) {
  UVersionInfo info;
  char text[U_MAX_VERSION_STRING_LENGTH];
  u_getVersion(info);
  u_versionToString(info, text);
  strncpy(buffer, text, (size_t)capacity);
  if (capacity > 0) buffer[capacity - 1] = 0;
}

struct zs_word_breaker {
  UBreakIterator *iterator;
};

zs_word_breaker *zs_word_breaker_open(const char *locale, int32_t *error) {
  UErrorCode status = U_ZERO_ERROR;
  UBreakIterator *iterator = ubrk_open(UBRK_WORD, locale, NULL, 0, &status);
  *error = status;
  if (U_FAILURE(status)) return NULL;
  zs_word_breaker *breaker = malloc(sizeof(zs_word_breaker));
  if (!breaker) {
    ubrk_close(iterator);
    *error = U_MEMORY_ALLOCATION_ERROR;
    return NULL;
  }
  breaker->iterator = iterator;
  return breaker;
}

void zs_word_breaker_close(zs_word_breaker *breaker) {
  if (!breaker) return;
  ubrk_close(breaker->iterator);
  free(breaker);
}

int32_t zs_word_breaker_segment(zs_word_breaker *breaker, const uint16_t *text, int32_t length,
                                int32_t *boundaries, int32_t *statuses, int32_t *error) {
  UErrorCode status = U_ZERO_ERROR;
  ubrk_setText(breaker->iterator, (const UChar *)text, length, &status);
  *error = status;
  if (U_FAILURE(status)) return 0;
  int32_t count = 0;
  ubrk_first(breaker->iterator);
  for (int32_t b = ubrk_next(breaker->iterator); b != UBRK_DONE; b = ubrk_next(breaker->iterator)) {
    if (count > length) break;  // cannot happen: at most one boundary per code unit
    boundaries[count] = b;
    statuses[count] = ubrk_getRuleStatus(breaker->iterator);
    count++;
  }
  // Release the iterator's pointer to the caller's buffer.
  ubrk_setText(breaker->iterator, NULL, 0, &status);
  return count;
}

static const UNormalizer2 *casefold_instance(UErrorCode *status) {
  return unorm2_getNFKCCasefoldInstance(status);
}

int32_t zs_nfkc_casefold(const uint16_t *src, int32_t length, uint16_t *dst, int32_t capacity,
                         int32_t *error) {
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2 *norm = casefold_instance(&status);
  int32_t n = 0;
  if (U_SUCCESS(status))
    n = unorm2_normalize(norm, (const UChar *)src, length, (UChar *)dst, capacity, &status);
  *error = status;
  return n;
}

int32_t zs_nfkc_casefold_span(const uint16_t *src, int32_t length, int32_t *error) {
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2 *norm = casefold_instance(&status);
  int32_t n = 0;
  if (U_SUCCESS(status)) n = unorm2_spanQuickCheckYes(norm, (const UChar *)src, length, &status);
  *error = status;
  return n;
}

int32_t zs_nfkc_casefold_boundary_before(int32_t c) {
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2 *norm = casefold_instance(&status);
  if (U_FAILURE(status)) return 1;
  return unorm2_hasBoundaryBefore(norm, (UChar32)c) ? 1 : 0;
}

int32_t zs_nfkc(const uint16_t *src, int32_t length, uint16_t *dst, int32_t capacity,
                int32_t *error) {
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2 *norm = unorm2_getNFKCInstance(&status);
  int32_t n = 0;
  if (U_SUCCESS(status))
    n = unorm2_normalize(norm, (const UChar *)src, length, (UChar *)dst, capacity, &status);
  *error = status;
  return n;
}

struct zs_transliterator {
  UTransliterator *trans;
};

zs_transliterator *zs_transliterator_open(const char *id, int32_t *error) {
  UChar uid[128];
  int32_t n = 0;
  for (; id[n] && n < 127; n++) uid[n] = (UChar)(unsigned char)id[n];
  UErrorCode status = U_ZERO_ERROR;
  UTransliterator *trans = utrans_openU(uid, n, UTRANS_FORWARD, NULL, 0, NULL, &status);
  *error = status;
  if (U_FAILURE(status)) return NULL;
  zs_transliterator *t = malloc(sizeof(zs_transliterator));
  if (!t) {
    utrans_close(trans);
    *error = U_MEMORY_ALLOCATION_ERROR;
    return NULL;
  }
  t->trans = trans;
  return t;
}

void zs_transliterator_close(zs_transliterator *t) {
  if (!t) return;
  utrans_close(t->trans);
  free(t);
}

int32_t zs_transliterate(zs_transliterator *t, uint16_t *buffer, int32_t length, int32_t capacity,
                         int32_t *error) {
  UErrorCode status = U_ZERO_ERROR;
  int32_t textLength = length;
  int32_t limit = length;
  utrans_transUChars(t->trans, (UChar *)buffer, &textLength, capacity, 0, &limit, &status);
  *error = status;
  return textLength;
}

int32_t zs_convert_to_utf8(const char *from, const char *src, int32_t length, char *dst,
                           int32_t capacity, int32_t strict, int32_t *error) {
  UErrorCode status = U_ZERO_ERROR;
  UConverter *converter = ucnv_open(from, &status);
  if (U_FAILURE(status)) {
    *error = status;
    return 0;
  }
  if (strict) ucnv_setToUCallBack(converter, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &status);
  // Every supported charset needs at least one byte per UTF-16 code unit.
  UChar *utf16 = malloc(((size_t)length + 1) * sizeof(UChar));
  if (!utf16) {
    ucnv_close(converter);
    *error = U_MEMORY_ALLOCATION_ERROR;
    return 0;
  }
  int32_t units = ucnv_toUChars(converter, utf16, length + 1, src, length, &status);
  ucnv_close(converter);
  int32_t n = 0;
  if (U_SUCCESS(status)) u_strToUTF8(dst, capacity, &n, utf16, units, &status);
  free(utf16);
  *error = status;
  return n;
}
