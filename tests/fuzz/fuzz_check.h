// FUZZ_CHECK: what a fuzz target asserts. A failed property prints the condition and aborts, which
// libFuzzer reports as a crash and saves the input that caused it.
#ifndef FIELDWORK_TESTS_FUZZ_FUZZ_CHECK_H_
#define FIELDWORK_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                                               \
  do {                                                                                      \
    if (!(condition)) {                                                                     \
      std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                         \
    }                                                                                       \
  } while (false)

#endif  // FIELDWORK_TESTS_FUZZ_FUZZ_CHECK_H_
