/*
 * What the guest programs expect of the simulator configurations in configs/, for the checks
 * that depend on configured parameters rather than on the register maps.  Keep in step with
 * configs/test_2device_integration.py, configs/qemu_4device_test.py and the compute device's
 * parameter defaults (elements/acalsim/compute_device.cc).  A configuration is recognised by its
 * device count, found by probing ID registers.
 *
 * Access latency seen by the guest = device response latency (cycles at 1 GHz) + the bridge
 * links, 1 ns each way.
 */
#ifndef KNOWN_CONFIGS_H
#define KNOWN_CONFIGS_H

#include <stddef.h>

#include "sst_dev.h"

#define LINK_NS_ROUND_TRIP 2u

struct expected_device {
    const char *name;
    uint64_t id;                  /* the kind's ID register value */
    unsigned echo_latency_cycles; /* echo: its `latency` parameter (LATENCY register) */
    unsigned mul_cycles;          /* compute: `mul_latency` (CYCLES of a MUL; POW step) */
    unsigned access_ns;           /* one register access, as modelled */
};

/* Compute device parameters no configuration overrides (their defaults). */
#define COMPUTE_ACCESS_CYCLES 1u
#define COMPUTE_ADD_CYCLES 1u
#define COMPUTE_SUB_CYCLES 1u
#define COMPUTE_DIV_CYCLES 20u
#define COMPUTE_POW_BASE_CYCLES 2u /* POW = base + (bits in B) * mul cycles */

#define ECHO_EXPECT(n, lat) \
    { (n), SST_ECHO_ID, (lat), 0, (lat) + LINK_NS_ROUND_TRIP }
#define COMPUTE_EXPECT(n, mul) \
    { (n), SST_COMPUTE_ID, 0, (mul), COMPUTE_ACCESS_CYCLES + LINK_NS_ROUND_TRIP }

/* Expected layout for a configuration of `count` devices, or NULL if none is known. */
static inline const struct expected_device *expected_config(unsigned count) {
    static const struct expected_device two[] = {
        ECHO_EXPECT("echo_device", 10), /* test_2device_integration.py */
        COMPUTE_EXPECT("compute_device", 3),
    };
    static const struct expected_device four[] = {
        ECHO_EXPECT("echo0", 10), /* qemu_4device_test.py */
        COMPUTE_EXPECT("compute0", 3),
        ECHO_EXPECT("echo1", 20),
        COMPUTE_EXPECT("compute1", 5),
    };
    switch (count) {
    case 2: return two;
    case 4: return four;
    default: return NULL;
    }
}

#endif /* KNOWN_CONFIGS_H */
