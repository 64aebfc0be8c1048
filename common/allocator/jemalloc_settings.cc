// jemalloc's settings for the service binaries, read by jemalloc when it starts (its documented
// `malloc_conf` variable; MALLOC_CONF in the environment still overrides them).
//
// Why jemalloc rather than glibc's malloc: glibc gives freed memory back to the system only from
// the top of an arena's heap, so after a burst of large messages a service stayed at what the
// burst had used (scheduling 466 MiB after creating 250 events of 300 participants). Giving it
// back took malloc_trim, which madvises every free range at once: after such a burst one trim in
// scheduling ran 140 ms of madvise calls, each a TLB shoot-down interrupting the other core too,
// and CheckIn's p99 on the same machine rose from 5-10 ms to 60-450 ms (BENCHMARKS.md,
// 2026-11-27 evening). jemalloc's background thread returns what has been unused for a second,
// a little at a time.
//   background_thread  purge from jemalloc's own thread, not from the threads serving calls;
//   narenas:4          as glibc's 4 arenas did, bound the memory kept per arena (peak 172 MiB
//                      in scheduling against 481 MiB with jemalloc's default of 8 on 2 cores);
//   dirty_decay_ms     pages freed are returned over about a second;
//   muzzy_decay_ms:0   and then at once (no second, lazily-freed stage);
//   tcache_max:1024, lg_tcache_nslots_mul:-2
//                      small per-thread caches: objects up to 1 KiB, an eighth of jemalloc's
//                      default slots per size (at least 20). Each of the 60-80 threads that has
//                      served a call keeps its cache until it allocates again. With the default
//                      caches scheduling stayed at 65 MiB after seeding the report organization.
//                      Without caches (tcache:false) it was 27 MiB, but every allocation took an
//                      arena's mutex: 15% of scheduling's CPU while booking. With these it is 31
//                      MiB, and a booking costs 15% less of scheduling's CPU than without caches
//                      (BENCHMARKS.md, 2026-11-27 night).
extern "C" {
// NOLINTNEXTLINE: the name and type are jemalloc's.
const char* malloc_conf =
    "background_thread:true,narenas:4,dirty_decay_ms:1000,muzzy_decay_ms:0,tcache_max:1024,"
    "lg_tcache_nslots_mul:-2";
}
