// Byte sizes and addresses as configurations spell them, in one place so that every element accepts
// the same spellings: plain or 0x numbers ("4096", "0x1000"), QEMU's -m suffixes ("128M", where
// K/M/G are binary multiples, as QEMU reads them) and SST UnitAlgebra byte units ("4KiB", "1MB").
#ifndef QEMU_SST_COMMON_BYTE_SIZE_H
#define QEMU_SST_COMMON_BYTE_SIZE_H

#include <sst/core/unitAlgebra.h>

#include <cstdint>
#include <exception>
#include <optional>
#include <string>

namespace QemuSst {

// Bytes `text` stands for, or nullopt if it is not a byte size (or does not fit in 64 bits).
inline std::optional<uint64_t> parseBytes(const std::string& text) {
    try {
        size_t used = 0;
        const uint64_t value = std::stoull(text, &used, 0);
        if (used == text.size()) {
            return value;
        }
        const std::string suffix = text.substr(used);
        static const std::pair<const char*, int> qemu_suffixes[] = {{"K", 10}, {"M", 20}, {"G", 30}};
        for (const auto& [s, shift] : qemu_suffixes) {
            if (suffix == s) {
                if (value > (UINT64_MAX >> shift)) {
                    return std::nullopt;
                }
                return value << shift;
            }
        }
        SST::UnitAlgebra ua(text);
        if (ua.hasUnits("B")) {
            return ua.getRoundedValue();
        }
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

}  // namespace QemuSst

#endif
