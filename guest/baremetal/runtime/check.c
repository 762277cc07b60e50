#include "check.h"

#include <stdio.h>

static int first_failure;

bool check(int id, const char *what, bool ok) {
    printf("  [%d] %s: %s\n", id, what, ok ? "ok" : "FAIL");
    if (!ok && first_failure == 0) {
        first_failure = id;
    }
    return ok;
}

bool check_eq(int id, const char *what, uint64_t got, uint64_t want) {
    const bool ok = got == want;
    if (ok) {
        printf("  [%d] %s: ok (0x%llx)\n", id, what, (unsigned long long)got);
    } else {
        printf("  [%d] %s: FAIL: got 0x%llx, expected 0x%llx\n", id, what, (unsigned long long)got,
               (unsigned long long)want);
        if (first_failure == 0) {
            first_failure = id;
        }
    }
    return ok;
}

void check_skip(int id, const char *what, const char *why) { printf("  [%d] %s: skipped (%s)\n", id, what, why); }

int check_verdict(const char *program) {
    if (first_failure) {
        printf("%s: FAIL (check %d)\n", program, first_failure);
    } else {
        printf("%s: PASS\n", program);
    }
    return first_failure;
}
