#include "net/address_policy.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

namespace tseeder::net {
namespace {

std::optional<std::string> literal(const char* s) {
  return restricted_ip_literal(s);
}

TEST(AddressPolicy, RefusesInternalIPv4) {
  EXPECT_EQ(literal("127.0.0.1"), "loopback");
  EXPECT_EQ(literal("127.9.8.7"), "loopback");
  EXPECT_EQ(literal("10.1.2.3"), "private");
  EXPECT_EQ(literal("172.16.0.1"), "private");
  EXPECT_EQ(literal("172.31.255.255"), "private");
  EXPECT_EQ(literal("192.168.1.1"), "private");
  EXPECT_EQ(literal("169.254.169.254"), "cloud metadata");
  EXPECT_EQ(literal("169.254.1.1"), "link-local");
  EXPECT_EQ(literal("0.0.0.0"), "unspecified");
  EXPECT_EQ(literal("100.64.0.1"), "shared (carrier-grade NAT)");
  EXPECT_EQ(literal("224.0.0.1"), "multicast");
  EXPECT_EQ(literal("255.255.255.255"), "reserved");
}

TEST(AddressPolicy, AllowsPublicAddressesAndNames) {
  EXPECT_EQ(literal("93.184.216.34"), std::nullopt);
  EXPECT_EQ(literal("172.32.0.1"), std::nullopt);
  EXPECT_EQ(literal("2606:2800:220:1::1"), std::nullopt);
  EXPECT_EQ(literal("example.com"), std::nullopt) << "names are judged once resolved";
}

TEST(AddressPolicy, SeesThroughOtherSpellings) {
  EXPECT_EQ(literal("2130706433"), "loopback");  // 127.0.0.1 as one number
  EXPECT_EQ(literal("0x7f.1"), "loopback");
  EXPECT_EQ(literal("[::1]"), "loopback");
  EXPECT_EQ(literal("::ffff:127.0.0.1"), "loopback");
  EXPECT_EQ(literal("[::ffff:169.254.169.254]"), "cloud metadata");
  EXPECT_EQ(literal("64:ff9b::10.0.0.1"), "private");
  EXPECT_EQ(literal("2002:c0a8:0101::1"), "private");  // 6to4 of 192.168.1.1
  EXPECT_EQ(literal("fd00:ec2::254"), "private");
  EXPECT_EQ(literal("fe80::1%lo"), "link-local");
  EXPECT_EQ(literal("::"), "unspecified");
  EXPECT_EQ(literal("ff02::1"), "multicast");
  EXPECT_EQ(literal("::127.0.0.1"), "loopback");         // IPv4-compatible
  EXPECT_EQ(literal("::ffff:0:127.0.0.1"), "loopback");  // IPv4-translated
  EXPECT_EQ(literal("::ffff:0:10.1.2.3"), "private");
  EXPECT_EQ(literal("64:ff9b:1::5"), "private");  // local-use NAT64
  EXPECT_EQ(literal("2001:0:4136:e378::1"), "tunnel (Teredo)");
  EXPECT_EQ(literal("::8.8.8.8"), std::nullopt);  // a public IPv4 address, however written
  EXPECT_EQ(literal("::ffff:0:8.8.8.8"), std::nullopt);
}

TEST(AddressPolicy, RefusesThisServersOwnAddresses) {
  const auto mine = own_addresses();
  ASSERT_FALSE(mine.empty());  // loopback at least
  for (const auto& a : mine) EXPECT_NE(literal(a.c_str()), std::nullopt) << a;
}

TEST(AddressPolicy, RangesCoverWhatTheCheckRefuses) {
  // Every range's ends are refused for the range's reason, and the ranges cover the spellings.
  const auto ranges = restricted_ranges();
  for (const auto& r : ranges) {
    EXPECT_NE(literal(r.first.c_str()), std::nullopt) << r.first;
    EXPECT_NE(literal(r.last.c_str()), std::nullopt) << r.last;
  }
  auto covered = [&](const std::string& a) {
    for (const auto& r : ranges)
      if (r.first == a || r.last == a) return true;
    return false;
  };
  EXPECT_TRUE(covered("127.0.0.0"));
  EXPECT_TRUE(covered("::ffff:0:7f00:0"));  // translated 127.0.0.0
  EXPECT_TRUE(covered("64:ff9b::a00:0"));   // NAT64 10.0.0.0
  EXPECT_TRUE(covered("2002:c0a8::"));      // 6to4 192.168.0.0
  EXPECT_TRUE(covered("fc00::"));
}

TEST(AddressPolicy, JudgesResolvedSocketAddresses) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  inet_pton(AF_INET, "10.0.0.5", &a.sin_addr);
  EXPECT_EQ(restricted_address(reinterpret_cast<sockaddr*>(&a)), "private");
  EXPECT_EQ(address_text(reinterpret_cast<sockaddr*>(&a)), "10.0.0.5");
  sockaddr_in6 b{};
  b.sin6_family = AF_INET6;
  inet_pton(AF_INET6, "2001:4860:4860::8888", &b.sin6_addr);
  EXPECT_EQ(restricted_address(reinterpret_cast<sockaddr*>(&b)), std::nullopt);
}

}  // namespace
}  // namespace tseeder::net
