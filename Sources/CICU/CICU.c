#include "CICU.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/ucnv.h>
#include <unicode/udata.h>
#include <unicode/ures.h>
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

/* Compiles the rules of rule-based transliterator `id` straight from ICU's translit data
 * (following one alias, as "Traditional-Simplified" -> "Hant-Hans"). Opening by id goes
 * through ICU's transliterator registry, whose first use builds the whole registry:
 * about 28 ms, most of a search process's start-up; the rules alone compile in about 5.
 * Returns NULL (and the caller falls back to the registry) where the data is laid out
 * otherwise. */
static UTransliterator *open_from_rules(const char *id) {
  UErrorCode status = U_ZERO_ERROR;
  UTransliterator *trans = NULL;
  UResourceBundle *root =
      ures_openDirect(U_ICUDATA_NAME U_TREE_SEPARATOR_STRING "translit", "root", &status);
  UResourceBundle *ids = ures_getByKey(root, "RuleBasedTransliteratorIDs", NULL, &status);
  UResourceBundle *entry = ures_getByKey(ids, id, NULL, &status);
  UChar uid[128];
  int32_t n = 0;
  for (; id[n] && n < 127; n++) uid[n] = (UChar)(unsigned char)id[n];
  /* An entry without an alias is looked at as it is: the alias lookup's own status. */
  UErrorCode aliasStatus = status;
  int32_t aliasLength = 0;
  const UChar *alias = ures_getStringByKey(entry, "alias", &aliasLength, &aliasStatus);
  char target[64];
  if (U_SUCCESS(aliasStatus) && aliasLength > 0 && aliasLength < (int32_t)sizeof(target)) {
    u_austrncpy(target, alias, aliasLength);
    target[aliasLength] = 0;
    ures_close(entry);
    entry = ures_getByKey(ids, target, NULL, &status);
  }
  UResourceBundle *file = ures_getByKey(entry, "file", NULL, &status);
  int32_t rulesLength = 0, directionLength = 0;
  const UChar *rules = ures_getStringByKey(file, "resource", &rulesLength, &status);
  const UChar *direction = ures_getStringByKey(file, "direction", &directionLength, &status);
  if (U_SUCCESS(status) && rulesLength > 0 && directionLength > 0) {
    UTransDirection dir = direction[0] == 'R' ? UTRANS_REVERSE : UTRANS_FORWARD;
    UParseError parseError;
    trans = utrans_openU(uid, n, dir, rules, rulesLength, &parseError, &status);
    if (U_FAILURE(status)) trans = NULL;
  }
  ures_close(file);
  ures_close(entry);
  ures_close(ids);
  ures_close(root);
  return trans;
}

/* One Traditional-Simplified transliterator per process, and every answer remembered
 * (0 = not asked yet): each distinct character is transliterated once, whatever the
 * number of analyzers and threads. */
static pthread_once_t simplifier_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t simplifier_lock = PTHREAD_MUTEX_INITIALIZER;
static UTransliterator *simplifier = NULL;
static _Atomic uint16_t simplified_units[0x10000];

static void open_simplifier(void) {
  simplifier = open_from_rules("Traditional-Simplified");
  if (simplifier) return;
  UChar id[] = u"Traditional-Simplified";
  UErrorCode status = U_ZERO_ERROR;
  simplifier = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
  if (U_FAILURE(status)) simplifier = NULL;
}

uint16_t zs_traditional_to_simplified(uint16_t unit) {
  uint16_t known = atomic_load_explicit(&simplified_units[unit], memory_order_relaxed);
  if (known) return known;
  pthread_once(&simplifier_once, open_simplifier);
  uint16_t result = unit;
  if (simplifier) {
    UChar buffer[8] = {unit};
    int32_t length = 1, limit = 1;
    UErrorCode status = U_ZERO_ERROR;
    pthread_mutex_lock(&simplifier_lock);
    utrans_transUChars(simplifier, buffer, &length, 8, 0, &limit, &status);
    pthread_mutex_unlock(&simplifier_lock);
    /* A character that becomes several stays as it is, to keep offsets one-to-one. */
    if (U_SUCCESS(status) && length == 1 && buffer[0] != 0) result = buffer[0];
  }
  if (result != 0) atomic_store_explicit(&simplified_units[unit], result, memory_order_relaxed);
  return result;
}

void zs_adopt_simplified(uint16_t first, uint16_t last, const uint16_t *answers) {
  for (uint32_t unit = first; unit <= last; unit++)
    if (answers[unit - first] != 0)
      atomic_store_explicit(&simplified_units[unit], answers[unit - first], memory_order_relaxed);
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
