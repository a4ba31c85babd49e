#include "net/address_policy.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <mutex>

namespace tseeder::net {

namespace {

using V6 = std::array<unsigned char, 16>;

constexpr std::uint32_t ip4(int a, int b, int c, int d) {
  return (std::uint32_t(a) << 24) | (std::uint32_t(b) << 16) | (std::uint32_t(c) << 8) | std::uint32_t(d);
}

struct V4Range {
  std::uint32_t net;
  int bits;
  const char* reason;
};

// First match wins: the metadata addresses sit inside link-local and shared space.
constexpr V4Range kV4[] = {
    {ip4(169, 254, 169, 254), 32, "cloud metadata"},
    {ip4(100, 100, 100, 200), 32, "cloud metadata"},
    {ip4(127, 0, 0, 0), 8, "loopback"},
    {ip4(0, 0, 0, 0), 8, "unspecified"},
    {ip4(10, 0, 0, 0), 8, "private"},
    {ip4(172, 16, 0, 0), 12, "private"},
    {ip4(192, 168, 0, 0), 16, "private"},
    {ip4(100, 64, 0, 0), 10, "shared (carrier-grade NAT)"},
    {ip4(169, 254, 0, 0), 16, "link-local"},
    {ip4(192, 0, 0, 0), 24, "special-purpose"},
    {ip4(198, 18, 0, 0), 15, "special-purpose"},
    {ip4(224, 0, 0, 0), 4, "multicast"},
    {ip4(240, 0, 0, 0), 4, "reserved"},
};

std::uint32_t mask(int bits) {
  return bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
}

std::optional<std::string> restricted_v4(std::uint32_t a) {
  for (const auto& r : kV4)
    if ((a & mask(r.bits)) == (r.net & mask(r.bits))) return r.reason;
  return std::nullopt;
}

std::uint32_t v4_at(const unsigned char* b) {
  return (std::uint32_t(b[0]) << 24) | (std::uint32_t(b[1]) << 16) | (std::uint32_t(b[2]) << 8) | b[3];
}

// Where IPv6 carries an IPv4 address in its last four bytes.
struct Embedding {
  std::array<unsigned char, 12> prefix;
};
constexpr Embedding kEmbeddings[] = {
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}},     // mapped ::ffff:a.b.c.d
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},           // compatible ::a.b.c.d (deprecated)
    {{0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0}},     // translated ::ffff:0:a.b.c.d (SIIT)
    {{0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0}},  // NAT64 64:ff9b::a.b.c.d
};

struct V6Range {
  V6 net;
  int bits;
  const char* reason;
};

const V6Range kV6[] = {
    {{0, 0x64, 0xff, 0x9b, 0, 1}, 48, "private"},     // 64:ff9b:1::/48, local-use NAT64
    {{0x20, 0x01, 0, 0}, 32, "tunnel (Teredo)"},      // 2001::/32 hides an IPv4 address
    {{0x20, 0x01, 0x0d, 0xb8}, 32, "documentation"},  // 2001:db8::/32
    {{0x01, 0, 0, 0, 0, 0, 0, 0}, 64, "discard"},     // 100::/64
    {{0xfc}, 7, "private"},                           // fc00::/7 (also AWS fd00:ec2::254)
    {{0xfe, 0x80}, 10, "link-local"},                 // fe80::/10
    {{0xfe, 0xc0}, 10, "private"},                    // fec0::/10, old site-local
    {{0xff}, 8, "multicast"},                         // ff00::/8
};

bool in6(const unsigned char* a, const V6& net, int bits) {
  for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const unsigned char m = bits >= 8 ? 0xff : static_cast<unsigned char>(0xff << (8 - bits));
    if ((a[i] & m) != (net[i] & m)) return false;
  }
  return true;
}

std::optional<std::string> restricted_v6(const unsigned char* b) {
  static const unsigned char zero[16] = {};
  if (std::memcmp(b, zero, 15) == 0 && (b[15] == 0 || b[15] == 1)) return b[15] ? "loopback" : "unspecified";
  for (const auto& e : kEmbeddings)
    if (std::memcmp(b, e.prefix.data(), 12) == 0) return restricted_v4(v4_at(b + 12));
  if (b[0] == 0x20 && b[1] == 0x02) return restricted_v4(v4_at(b + 2));  // 6to4 2002:a.b.c.d::
  for (const auto& r : kV6)
    if (in6(b, r.net, r.bits)) return r.reason;
  return std::nullopt;
}

// This machine's interface addresses, as 16 bytes (IPv4 mapped), cached for a while: a fetch
// from one of them reaches services bound there, the daemon's own API included.
class OwnAddresses {
 public:
  std::vector<V6> get() {
    std::lock_guard lock(m_);
    const auto now = std::chrono::steady_clock::now();
    if (now - read_at_ > std::chrono::seconds(10) || read_at_ == std::chrono::steady_clock::time_point{}) {
      read_at_ = now;
      addresses_ = read();
    }
    return addresses_;
  }

 private:
  static std::vector<V6> read() {
    std::vector<V6> out;
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) return out;
    for (auto* i = list; i; i = i->ifa_next) {
      if (!i->ifa_addr) continue;
      V6 a{};
      if (i->ifa_addr->sa_family == AF_INET) {
        a[10] = a[11] = 0xff;
        std::memcpy(&a[12], &reinterpret_cast<const sockaddr_in*>(i->ifa_addr)->sin_addr, 4);
      } else if (i->ifa_addr->sa_family == AF_INET6) {
        std::memcpy(a.data(), &reinterpret_cast<const sockaddr_in6*>(i->ifa_addr)->sin6_addr, 16);
      } else {
        continue;
      }
      out.push_back(a);
    }
    freeifaddrs(list);
    return out;
  }
  std::mutex m_;
  std::chrono::steady_clock::time_point read_at_{};
  std::vector<V6> addresses_;
};

OwnAddresses& own() {
  static OwnAddresses instance;
  return instance;
}

std::string text6(const V6& a) {
  char buf[INET6_ADDRSTRLEN] = "";
  inet_ntop(AF_INET6, a.data(), buf, sizeof buf);
  return buf;
}

std::string text4(std::uint32_t a) {
  const std::uint32_t n = htonl(a);
  char buf[INET_ADDRSTRLEN] = "";
  inet_ntop(AF_INET, &n, buf, sizeof buf);
  return buf;
}

V6 with_v4(const std::array<unsigned char, 12>& prefix, std::uint32_t a) {
  V6 out{};
  std::memcpy(out.data(), prefix.data(), 12);
  for (int i = 0; i < 4; ++i) out[12 + i] = static_cast<unsigned char>(a >> (24 - 8 * i));
  return out;
}

}  // namespace

std::optional<std::string> restricted_address(const sockaddr* addr) {
  if (!addr) return "unknown";
  V6 as6{};
  std::optional<std::string> why;
  if (addr->sa_family == AF_INET) {
    const auto* a4 = &reinterpret_cast<const sockaddr_in*>(addr)->sin_addr;
    why = restricted_v4(ntohl(a4->s_addr));
    as6[10] = as6[11] = 0xff;
    std::memcpy(&as6[12], a4, 4);
  } else if (addr->sa_family == AF_INET6) {
    std::memcpy(as6.data(), &reinterpret_cast<const sockaddr_in6*>(addr)->sin6_addr, 16);
    why = restricted_v6(as6.data());
  } else {
    return "not an IP address";
  }
  if (why) return why;
  for (const auto& mine : own().get())
    if (mine == as6) return "this server's own address";
  return std::nullopt;
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

std::vector<AddressRange> restricted_ranges() {
  std::vector<AddressRange> out;
  for (const auto& r : kV4) {
    const std::uint32_t first = r.net & mask(r.bits), last = first | ~mask(r.bits);
    out.push_back({text4(first), text4(last), r.reason});
    for (const auto& e : kEmbeddings)
      out.push_back({text6(with_v4(e.prefix, first)), text6(with_v4(e.prefix, last)), r.reason});
    V6 lo{0x20, 0x02}, hi{0x20, 0x02};  // 6to4: the IPv4 address and whatever follows it
    for (int i = 0; i < 4; ++i) {
      lo[2 + i] = static_cast<unsigned char>(first >> (24 - 8 * i));
      hi[2 + i] = static_cast<unsigned char>(last >> (24 - 8 * i));
    }
    std::fill(hi.begin() + 6, hi.end(), 0xff);
    out.push_back({text6(lo), text6(hi), r.reason});
  }
  for (const auto& r : kV6) {
    V6 lo = r.net, hi = r.net;
    for (int i = 0; i < 16; ++i) {
      const int bits = std::max(0, std::min(8, r.bits - 8 * i));
      const unsigned char keep = static_cast<unsigned char>(bits == 0 ? 0 : 0xff << (8 - bits));
      lo[i] &= keep;
      hi[i] = static_cast<unsigned char>((hi[i] & keep) | ~keep);
    }
    out.push_back({text6(lo), text6(hi), r.reason});
  }
  out.push_back({"::", "::1", "loopback"});
  return out;
}

std::vector<std::string> own_addresses() {
  std::vector<std::string> out;
  for (const auto& a : own().get()) {
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    out.push_back(std::memcmp(a.data(), mapped, 12) == 0 ? text4(v4_at(&a[12])) : text6(a));
  }
  return out;
}

}  // namespace tseeder::net
