#include "net/address_policy.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <cstdint>
#include <cstring>

namespace tseeder::net {

namespace {

bool in4(std::uint32_t a, std::uint32_t net, int bits) {
  std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
  return (a & mask) == (net & mask);
}

constexpr std::uint32_t ip4(int a, int b, int c, int d) {
  return (std::uint32_t(a) << 24) | (std::uint32_t(b) << 16) | (std::uint32_t(c) << 8) | std::uint32_t(d);
}

std::optional<std::string> restricted_v4(std::uint32_t a) {
  if (a == ip4(169, 254, 169, 254) || a == ip4(100, 100, 100, 200)) return "cloud metadata";
  if (in4(a, ip4(127, 0, 0, 0), 8)) return "loopback";
  if (in4(a, ip4(0, 0, 0, 0), 8)) return "unspecified";
  if (in4(a, ip4(10, 0, 0, 0), 8) || in4(a, ip4(172, 16, 0, 0), 12) || in4(a, ip4(192, 168, 0, 0), 16))
    return "private";
  if (in4(a, ip4(100, 64, 0, 0), 10)) return "shared (carrier-grade NAT)";
  if (in4(a, ip4(169, 254, 0, 0), 16)) return "link-local";
  if (in4(a, ip4(192, 0, 0, 0), 24) || in4(a, ip4(198, 18, 0, 0), 15)) return "special-purpose";
  if (in4(a, ip4(224, 0, 0, 0), 4)) return "multicast";
  if (in4(a, ip4(240, 0, 0, 0), 4)) return "reserved";
  return std::nullopt;
}

std::uint32_t v4_at(const unsigned char* b) {
  return (std::uint32_t(b[0]) << 24) | (std::uint32_t(b[1]) << 16) | (std::uint32_t(b[2]) << 8) | b[3];
}

std::optional<std::string> restricted_v6(const unsigned char* b) {
  static const unsigned char zero[16] = {};
  if (std::memcmp(b, zero, 15) == 0 && (b[15] == 0 || b[15] == 1)) return b[15] ? "loopback" : "unspecified";
  // IPv4 inside IPv6: mapped ::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d — judged by the IPv4 address.
  static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::memcmp(b, mapped, 12) == 0 || std::memcmp(b, nat64, 12) == 0) return restricted_v4(v4_at(b + 12));
  if (b[0] == 0x20 && b[1] == 0x02) return restricted_v4(v4_at(b + 2));  // 6to4 2002:a.b.c.d::
  if ((b[0] & 0xfe) == 0xfc) return "private";                           // fc00::/7 (also AWS fd00:ec2::254)
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return "link-local";        // fe80::/10
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return "private";           // fec0::/10, old site-local
  if (b[0] == 0xff) return "multicast";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> restricted_address(const sockaddr* addr) {
  if (!addr) return "unknown";
  if (addr->sa_family == AF_INET)
    return restricted_v4(ntohl(reinterpret_cast<const sockaddr_in*>(addr)->sin_addr.s_addr));
  if (addr->sa_family == AF_INET6) return restricted_v6(reinterpret_cast<const sockaddr_in6*>(addr)->sin6_addr.s6_addr);
  return "not an IP address";
}

std::optional<std::string> restricted_ip_literal(std::string_view host) {
  std::string h(host);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (auto pct = h.find('%'); pct != std::string::npos) h.resize(pct);  // zone id
  // getaddrinfo with AI_NUMERICHOST reads every legacy IPv4 form (0x7f.1, 2130706433) like
  // the resolver libcurl uses would.
  addrinfo hints{};
  hints.ai_flags = AI_NUMERICHOST;
  addrinfo* res = nullptr;
  if (h.empty() || getaddrinfo(h.c_str(), nullptr, &hints, &res) != 0) return std::nullopt;
  auto out = restricted_address(res->ai_addr);
  freeaddrinfo(res);
  return out;
}

std::string address_text(const sockaddr* addr) {
  char buf[INET6_ADDRSTRLEN] = "";
  if (addr && addr->sa_family == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(addr)->sin_addr, buf, sizeof buf);
  else if (addr && addr->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(addr)->sin6_addr, buf, sizeof buf);
  return buf[0] ? buf : "unknown address";
}

}  // namespace tseeder::net
