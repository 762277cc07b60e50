/*
 * Numbered checks for test programs: each prints one line, the first failure is remembered, and
 * main returns check_verdict(), so the exit status names the first check that failed (0 = all
 * passed).  Check numbers must be 1..199 (exit statuses keep 8 bits; 250+ are the runtime's).
 */
#ifndef RT_CHECK_H
#define RT_CHECK_H

#include <stdbool.h>
#include <stdint.h>

/* Prints "[id] what: ok" or "[id] what: FAIL"; returns ok. */
bool check(int id, const char *what, bool ok);
/* Equality with both values printed (hex). */
bool check_eq(int id, const char *what, uint64_t got, uint64_t want);
/* A check that could not run here (not a failure). */
void check_skip(int id, const char *what, const char *why);
/* Prints "<program>: PASS" or "<program>: FAIL (check N)" and returns the exit status. */
int check_verdict(const char *program);

#endif /* RT_CHECK_H */
