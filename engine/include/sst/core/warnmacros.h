// Warning helpers with SST's spelling, so element sources that use them build unchanged.
#ifndef SST_CORE_WARNMACROS_H
#define SST_CORE_WARNMACROS_H

#define UNUSED(x) x [[maybe_unused]]

#define SST_DIAG_PRAGMA_(x) _Pragma(#x)
#if defined(__clang__)
#define SST_DIAG_(x) SST_DIAG_PRAGMA_(clang diagnostic x)
#else
#define SST_DIAG_(x) SST_DIAG_PRAGMA_(GCC diagnostic x)
#endif
#define SST_DIAG_DISABLE_(flag) SST_DIAG_(push) SST_DIAG_(ignored flag)

#define DISABLE_WARN_FORMAT_SECURITY SST_DIAG_DISABLE_("-Wformat-security")
#define DISABLE_WARN_MAYBE_UNINITIALIZED SST_DIAG_DISABLE_("-Wmaybe-uninitialized")
#define DISABLE_WARN_STRICT_ALIASING SST_DIAG_DISABLE_("-Wstrict-aliasing")
#define DISABLE_WARN_DEPRECATED_DECLARATION SST_DIAG_DISABLE_("-Wdeprecated-declarations")
#define DISABLE_WARN_MISSING_OVERRIDE SST_DIAG_DISABLE_("-Wsuggest-override")
#define REENABLE_WARNING SST_DIAG_(pop)

#endif
