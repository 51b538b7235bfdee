// Plain-C shim over the system ICU. Swift never sees ICU's own headers:
// Foundation ships its own ICU module (UErrorCode would be defined twice),
// and ICU's versioned-symbol macros (ubrk_open -> ubrk_open_72) are invisible
// to Swift. Every function here is a real function taking plain C types.
// Errors are ICU UErrorCode values as int32_t: <= 0 is success.
#ifndef ZHISOU_CICU_H
#define ZHISOU_CICU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Name of an ICU error code, for messages.
const char *zs_error_name(int32_t error);
/// The ICU version string, e.g. "72.1".
void zs_icu_version(char *buffer, int32_t capacity);

// MARK: Word break

typedef struct zs_word_breaker zs_word_breaker;

/// Opens a word break iterator for `locale` (e.g. "zh"). NULL on failure.
zs_word_breaker *zs_word_breaker_open(const char *locale, int32_t *error);
void zs_word_breaker_close(zs_word_breaker *breaker);
/// Segments `text` (UTF-16). Writes every boundary after 0 into `boundaries`
/// and the rule status of the segment ending there into `statuses`
/// (0-99 none/punctuation, 100-199 number, 200-299 letter, 300-399 kana,
/// 400-499 ideographic). Both arrays need `length + 1` entries.
/// Returns the number of boundaries written.
int32_t zs_word_breaker_segment(zs_word_breaker *breaker, const uint16_t *text, int32_t length,
                                int32_t *boundaries, int32_t *statuses, int32_t *error);

// MARK: Normalisation (NFKC, NFKC_Casefold)

/// NFKC_Casefold of `src` into `dst`; returns the full output length.
int32_t zs_nfkc_casefold(const uint16_t *src, int32_t length, uint16_t *dst, int32_t capacity,
                         int32_t *error);
/// Length of the prefix of `src` already in NFKC_Casefold form.
int32_t zs_nfkc_casefold_span(const uint16_t *src, int32_t length, int32_t *error);
/// Whether NFKC_Casefold never combines across a boundary before code point `c`.
int32_t zs_nfkc_casefold_boundary_before(int32_t c);
/// Plain NFKC of `src` into `dst`; returns the full output length.
int32_t zs_nfkc(const uint16_t *src, int32_t length, uint16_t *dst, int32_t capacity,
                int32_t *error);

// MARK: Transliteration

/// The simplified form of BMP code unit `unit` by ICU's Traditional-Simplified
/// transliterator, or `unit` itself (unchanged, several characters, or no ICU data).
/// Thread-safe; the transliterator is compiled once per process, each answer memoised.
uint16_t zs_traditional_to_simplified(uint16_t unit);
/// Takes the answers for code units `first`...`last` from `answers` (one per unit,
/// `last - first + 1` of them) instead of asking ICU: an index records the answers
/// it was built with, so a search process folds queries the same way without
/// compiling the transliterator's rules. Call before any other use in the process.
void zs_adopt_simplified(uint16_t first, uint16_t last, const uint16_t *answers);

// MARK: Charset conversion

/// Converts bytes in charset `from` (e.g. "GB18030", "UTF-16LE") to UTF-8.
/// With `strict` non-zero, an illegal or unmappable sequence is an error
/// (U_ILLEGAL_CHAR_FOUND / U_INVALID_CHAR_FOUND); otherwise it becomes U+FFFD.
/// Returns the full output length (call again with a larger buffer when it
/// exceeds `capacity`).
int32_t zs_convert_to_utf8(const char *from, const char *src, int32_t length, char *dst,
                           int32_t capacity, int32_t strict, int32_t *error);

#ifdef __cplusplus
}
#endif

#endif
