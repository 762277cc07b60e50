#include "sst_dev.h"

#include "rt.h"

const char *sst_kind_name(enum sst_kind kind) {
    switch (kind) {
    case SST_KIND_NONE: return "none";
    case SST_KIND_ECHO: return "echo";
    case SST_KIND_COMPUTE: return "compute";
    default: return "unknown";
    }
}

enum sst_kind sst_probe(unsigned dev) {
    const struct rt_fault f = rt_try_read(sst_reg(dev, SST_ECHO_REG_ID), 4);
    if (f.count) {
        return SST_KIND_NONE;
    }
    /* The ID register is at offset 0 in both maps. */
    if (rt_try_value == (uint32_t)SST_ECHO_ID) {
        return SST_KIND_ECHO;
    }
    if (rt_try_value == (uint32_t)SST_COMPUTE_ID) {
        return SST_KIND_COMPUTE;
    }
    return SST_KIND_UNKNOWN;
}

unsigned sst_probe_all(enum sst_kind *kinds, unsigned max) {
    unsigned n = 0;
    while (n < max && (kinds[n] = sst_probe(n)) != SST_KIND_NONE) {
        n++;
    }
    return n;
}

void compute_start(unsigned dev, uint64_t opcode, uint64_t a, uint64_t b) {
    compute_write(dev, SST_COMPUTE_REG_OPERAND_A, a);
    compute_write(dev, SST_COMPUTE_REG_OPERAND_B, b);
    compute_write(dev, SST_COMPUTE_REG_OPCODE, opcode);
    compute_control(dev, SST_COMPUTE_CTRL_START);
}

uint32_t compute_wait(unsigned dev, unsigned long max_polls, bool *timed_out) {
    uint32_t status = compute_status(dev);
    for (unsigned long i = 1; (status & SST_COMPUTE_STATUS_BUSY) && i < max_polls; i++) {
        status = compute_status(dev);
    }
    *timed_out = (status & SST_COMPUTE_STATUS_BUSY) != 0;
    return status;
}

struct compute_outcome compute_run(unsigned dev, uint64_t opcode, uint64_t a, uint64_t b) {
    struct compute_outcome o = {0};
    compute_start(dev, opcode, a, b);
    o.status = compute_wait(dev, COMPUTE_MAX_POLLS, &o.timed_out);
    o.result = compute_read(dev, SST_COMPUTE_REG_RESULT);
    o.cycles = compute_read(dev, SST_COMPUTE_REG_CYCLES);
    o.error = compute_read(dev, SST_COMPUTE_REG_ERROR_CODE);
    return o;
}
