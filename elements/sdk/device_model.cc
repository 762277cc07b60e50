#include "sdk/device_model.h"

#include <cinttypes>
#include <cstdio>
#include <stdexcept>

namespace QemuSst {

uint64_t ModelParams::number(const std::string& key, uint64_t default_value) const {
    const auto value = text(key);
    if (!value) {
        return default_value;
    }
    size_t used = 0;
    try {
        const uint64_t n = std::stoull(*value, &used, 0);
        if (used == value->size() && value->find('-') == std::string::npos) {
            return n;
        }
    } catch (const std::exception&) {
    }
    throw std::invalid_argument("parameter " + key + " must be an unsigned number, not '" + *value + "'");
}

std::optional<std::string> MapParams::text(const std::string& key) const {
    const auto it = values_.find(key);
    if (it == values_.end()) {
        return std::nullopt;
    }
    return it->second;
}

MmioModel::MmioModel(ModelHost& host, const ModelParams&)
    : host_(host), reads_(host.statistic("reads")), writes_(host.statistic("writes")),
      bus_errors_(host.statistic("bus_errors")) {}

MmioModel::Result MmioModel::access(bool write, uint64_t offset, unsigned size, uint64_t data) {
    Result r;
    r.cycles = access_cycles_;
    if (!sst_mmio_access_size_valid(size) || offset % size != 0) {
        r.status = SST_MMIO_BUS_ERROR;
    } else {
        r.status = write ? this->write(offset, size, data) : read(offset, size, r.data);
    }
    accesses_++;
    if (r.status != SST_MMIO_OK) {
        bus_errors_.add(1);
    } else {
        (write ? writes_ : reads_).add(1);
    }
    logf(2, "%s offset=0x%" PRIx64 " size=%u data=0x%" PRIx64 " -> %s", write ? "write" : "read", offset, size,
         write ? data : r.data, sst_mmio_status_str(r.status));
    return r;
}

void MmioModel::logf(unsigned level, const char* format, ...) {
    if (!host_.logs(level)) {
        return;  // formatting costs more than a fast access
    }
    char line[256];
    va_list args;
    va_start(args, format);
    std::vsnprintf(line, sizeof(line), format, args);
    va_end(args);
    host_.log(level, line);
}

namespace {
std::map<std::string, ModelFactory>& registry() {
    static std::map<std::string, ModelFactory> models;
    return models;
}
}  // namespace

bool registerModel(const char* kind, ModelFactory factory) {
    registry()[kind] = factory;
    return true;
}

std::unique_ptr<MmioModel> makeModel(const std::string& kind, ModelHost& host, const ModelParams& params) {
    const auto it = registry().find(kind);
    return it == registry().end() ? nullptr : it->second(host, params);
}

std::vector<std::string> modelKinds() {
    std::vector<std::string> kinds;
    for (const auto& [kind, factory] : registry()) {
        kinds.push_back(kind);
    }
    return kinds;
}

}  // namespace QemuSst
