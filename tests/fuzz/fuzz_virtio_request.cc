// sst_request_check on arbitrary bytes of arbitrary length, as a guest app or driver could submit.
// The request sits at an odd address at the very end of an exact-size heap block: a read past the
// given length is an AddressSanitizer report, a misaligned field access a UBSan one.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "qemu-sst/virtio_sst.h"

namespace {

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "fuzz_virtio_request: %s\n", what);
    std::abort();
}

// The documented rules, restated independently of sst_request_check: true when `req` breaks one.
bool breaks_a_rule(const SSTRequest& req) {
    uint32_t type, data_len, size, model, key, flags;
    uint64_t addr;
    std::memcpy(&type, &req.type, sizeof(type));
    std::memcpy(&flags, &req.flags, sizeof(flags));
    std::memcpy(&data_len, &req.data_len, sizeof(data_len));
    std::memcpy(&addr, &req.payload.memory.addr, sizeof(addr));
    std::memcpy(&size, &req.payload.memory.size, sizeof(size));
    std::memcpy(&model, &req.payload.compute.latency_model, sizeof(model));
    std::memcpy(&key, &req.payload.config.key, sizeof(key));

    // Flags no request type defines refuse any request; the default-model flag overrides the model.
    const bool type_known = type < SST_REQ_TYPE_COUNT;
    const bool sizes_wrong = (type == SST_REQ_ECHO && data_len > SST_MAX_DATA_SIZE) ||
                             ((type == SST_REQ_READ || type == SST_REQ_WRITE) &&
                              (size == 0 || size > SST_MEMORY_DATA_MAX || addr > UINT64_MAX - size));
    if (type_known && !sizes_wrong && (flags & ~SST_REQ_FLAGS_KNOWN)) {
        return true;
    }
    switch (type) {
    case SST_REQ_NOOP:
    case SST_REQ_RESET:
    case SST_REQ_GET_INFO: return false;
    case SST_REQ_ECHO: return data_len > SST_MAX_DATA_SIZE;
    case SST_REQ_COMPUTE: return !(flags & SST_REQ_FLAG_DEFAULT_MODEL) && model >= SST_LATENCY_MODEL_COUNT;
    case SST_REQ_READ:
    case SST_REQ_WRITE:
        // "Wraps around": the end of the access, addr + size, does not fit in 64 bits.
        return size == 0 || size > SST_MEMORY_DATA_MAX || addr > UINT64_MAX - size;
    case SST_REQ_CONFIGURE: return key < SST_CONFIG_LATENCY_MODEL || key > SST_CONFIG_LANES;
    case SST_REQ_BUFFERS: {
        // COPY: two buffers of equal length, read then written; MATMUL: A, B read and C written,
        // each 4 bytes per element of m x k, k x n and m x n, dimensions 1..1024.
        uint32_t op, count;
        std::memcpy(&op, &req.payload.buffers.op, sizeof(op));
        std::memcpy(&count, &req.payload.buffers.count, sizeof(count));
        SSTBuffer b[SST_MAX_BUFFERS];
        uint64_t dims[3];
        std::memcpy(b, req.payload.buffers.buffer, sizeof(b));
        std::memcpy(dims, req.payload.buffers.args, sizeof(dims));
        if (op > 1 || count != (op == 0 ? 2u : 3u)) {
            return true;
        }
        for (uint32_t i = 0; i < count; i++) {
            const uint32_t want = i == count - 1 ? 2u : 1u;
            if (b[i].length < 1 || b[i].length > (uint64_t{1} << 30) || b[i].access != want) {
                return true;
            }
        }
        if (op == 0) {
            return b[0].length != b[1].length;
        }
        for (uint64_t d : dims) {
            if (d < 1 || d > 1024) {
                return true;
            }
        }
        return b[0].length != 4 * dims[0] * dims[2] || b[1].length != 4 * dims[2] * dims[1] ||
               b[2].length != 4 * dims[0] * dims[1];
    }
    default: return true;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    uint8_t* block = static_cast<uint8_t*>(std::malloc(size + 1));
    std::memcpy(block + 1, data, size);
    const auto* req = reinterpret_cast<const SSTRequest*>(block + 1);

    const char* why = "not set";
    const uint32_t status = sst_request_check(req, size, &why);
    if (status != SST_STATUS_OK && status != SST_STATUS_INVALID) {
        fail("status is neither OK nor INVALID");
    }
    if ((status == SST_STATUS_OK) != (why == nullptr)) {
        fail("a reason must be given exactly when the request is refused");
    }
    if (size != sizeof(SSTRequest)) {
        if (status != SST_STATUS_INVALID) {
            fail("accepted a request that is not exactly one page");
        }
    } else if ((status == SST_STATUS_INVALID) != breaks_a_rule(*req)) {
        std::fprintf(stderr, "verdict: %s\n", why ? why : "ok");
        fail("verdict disagrees with the documented rules");
    }
    std::free(block);
    return 0;
}
