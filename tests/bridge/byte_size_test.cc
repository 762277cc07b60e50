#include "common/byte_size.h"

#include <gtest/gtest.h>

namespace QemuSst {
namespace {

TEST(ByteSize, PlainAndHexNumbers) {
    EXPECT_EQ(parseBytes("4096"), 4096u);
    EXPECT_EQ(parseBytes("0x10200000"), 0x10200000u);
    EXPECT_EQ(parseBytes("0"), 0u);
}

TEST(ByteSize, QemuSuffixesAreBinary) {
    EXPECT_EQ(parseBytes("4K"), 4096u);
    EXPECT_EQ(parseBytes("128M"), 128ull << 20);
    EXPECT_EQ(parseBytes("1G"), 1ull << 30);
}

TEST(ByteSize, UnitAlgebraByteUnits) {
    EXPECT_EQ(parseBytes("4KiB"), 4096u);
    EXPECT_EQ(parseBytes("1MiB"), 1ull << 20);
    EXPECT_EQ(parseBytes("1kB"), 1000u);
}

TEST(ByteSize, RefusesWhatIsNotAByteSize) {
    EXPECT_EQ(parseBytes(""), std::nullopt);
    EXPECT_EQ(parseBytes("big"), std::nullopt);
    EXPECT_EQ(parseBytes("4T"), std::nullopt);                   // not a QEMU suffix we take, and not a byte unit
    EXPECT_EQ(parseBytes("1us"), std::nullopt);                  // a unit, but not bytes
    EXPECT_EQ(parseBytes("0xffffffffffffffffG"), std::nullopt);  // does not fit in 64 bits
}

}  // namespace
}  // namespace QemuSst
