#include "sst_dev.h"

#include "rt.h"

const struct sst_device_kind sst_kind_none = {"none", "", 0, 0, 0, 0};
const struct sst_device_kind sst_kind_unknown = {"unknown", "", 0, 0, 0, 0};

const struct sst_device_kind *sst_probe(unsigned dev) {
    const struct rt_fault f = rt_try_read(sst_reg(dev, 0), 4);
    if (f.count) {
        return &sst_kind_none;
    }
    for (unsigned k = 0; k < SST_DEVICE_KIND_COUNT; k++) {
        if (rt_try_value == (uint32_t)sst_device_kinds[k].id) {
            return &sst_device_kinds[k];
        }
    }
    return &sst_kind_unknown;
}

unsigned sst_probe_all(const struct sst_device_kind **kinds, unsigned max) {
    unsigned n = 0;
    while (n < max && (kinds[n] = sst_probe(n)) != &sst_kind_none) {
        n++;
    }
    return n;
}

int sst_find(uint64_t id) {
    for (unsigned i = 0; i < SST_DEVICE_MAX; i++) {
        const struct sst_device_kind *kind = sst_probe(i);
        if (kind == &sst_kind_none) {
            break;
        }
        if (sst_is(kind, id)) {
            return (int)i;
        }
    }
    return -1;
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
