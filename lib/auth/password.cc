#include "auth/password.h"

#include <argon2.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <vector>

#include "auth/kdf_memory.h"
#include "core/base64.h"
#include "core/error.h"

namespace tseeder::auth {

namespace detail {
std::string_view common_passwords_text();  // generated from common_passwords.txt
}

namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;
constexpr std::size_t kMinChars = 8;
constexpr std::size_t kMaxChars = 128;

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

const std::vector<std::string>& common_list() {
  static const std::vector<std::string> list = [] {
    std::vector<std::string> out;
    std::string_view text = detail::common_passwords_text();
    while (!text.empty()) {
      auto nl = text.find('\n');
      auto line = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
      if (!line.empty() && !line.starts_with("#!")) out.push_back(lower_ascii(line));
    }
    std::sort(out.begin(), out.end());
    return out;
  }();
  return list;
}

// Characters as the user counts them: UTF-8 continuation bytes do not start one.
std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

int lend_memory(std::uint8_t** memory, std::size_t bytes) {
  *memory = kdf_memory::lend(bytes);
  return *memory ? ARGON2_OK : ARGON2_MEMORY_ALLOCATION_ERROR;
}

void keep_memory(std::uint8_t* memory, std::size_t) {
  kdf_memory::give_back(memory);
}

// The raw Argon2id hash of `password` (`out_len` bytes), or nullopt when the parameters are refused.
std::optional<std::string> argon2id(std::string_view password, std::string_view salt, const KdfParams& p,
                                    std::size_t out_len) {
  std::string out(out_len, '\0');
  argon2_context ctx{};
  ctx.out = reinterpret_cast<std::uint8_t*>(out.data());
  ctx.outlen = static_cast<std::uint32_t>(out.size());
  ctx.pwd = reinterpret_cast<std::uint8_t*>(const_cast<char*>(password.data()));  // read only: no clear flag
  ctx.pwdlen = static_cast<std::uint32_t>(password.size());
  ctx.salt = reinterpret_cast<std::uint8_t*>(const_cast<char*>(salt.data()));
  ctx.saltlen = static_cast<std::uint32_t>(salt.size());
  ctx.t_cost = p.t_cost;
  ctx.m_cost = p.m_cost_kib;
  ctx.lanes = ctx.threads = p.parallelism;
  ctx.version = ARGON2_VERSION_13;
  ctx.allocate_cbk = lend_memory;
  ctx.free_cbk = keep_memory;
  ctx.flags = ARGON2_DEFAULT_FLAGS;
  if (argon2_ctx(&ctx, Argon2_id) != ARGON2_OK) return std::nullopt;
  return out;
}

std::string b64_unpadded(std::string_view bytes) {
  std::string text = encode_base64(bytes);
  while (!text.empty() && text.back() == '=') text.pop_back();
  return text;
}

// "$argon2id$v=19$m=M,t=T,p=P$SALT$HASH" → its parts; nullopt unless exactly that shape.
struct Phc {
  KdfParams params;
  std::string salt, hash;
};
std::optional<Phc> parse_phc(std::string_view text) {
  constexpr std::string_view kHead = "$argon2id$v=19$";
  if (!text.starts_with(kHead)) return std::nullopt;
  text.remove_prefix(kHead.size());
  Phc phc;
  for (auto [key, field] :
       {std::pair{"m=", &phc.params.m_cost_kib}, {"t=", &phc.params.t_cost}, {"p=", &phc.params.parallelism}}) {
    if (!text.starts_with(key)) return std::nullopt;
    text.remove_prefix(2);
    std::uint32_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end == text.data()) return std::nullopt;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    const char sep = key[0] == 'p' ? '$' : ',';
    if (text.empty() || text.front() != sep) return std::nullopt;
    text.remove_prefix(1);
    *field = v;
  }
  // Bounds the hashing work a stored string can ask for (auth.kdf_* allow at most these).
  const auto& p = phc.params;
  if (p.m_cost_kib > 4u * 1024 * 1024 || p.t_cost < 1 || p.t_cost > 100 || p.parallelism < 1 || p.parallelism > 16)
    return std::nullopt;
  auto dollar = text.find('$');
  if (dollar == std::string_view::npos) return std::nullopt;
  auto salt = decode_base64(text.substr(0, dollar));
  auto hash = decode_base64(text.substr(dollar + 1));
  if (!salt || !hash || salt->size() < 8 || hash->size() < 4 || hash->size() > 64) return std::nullopt;
  phc.salt = std::move(*salt);
  phc.hash = std::move(*hash);
  return phc;
}

}  // namespace

std::string hash_password(std::string_view password, const KdfParams& p) {
  unsigned char salt_bytes[kSaltBytes];
  if (RAND_bytes(salt_bytes, sizeof salt_bytes) != 1) throw Error(Errc::internal, "random number generator failed");
  const std::string salt(reinterpret_cast<const char*>(salt_bytes), sizeof salt_bytes);
  auto hash = argon2id(password, salt, p, kHashBytes);
  if (!hash) throw Error(Errc::internal, "password hashing failed (out of memory, or the auth.kdf_* settings)");
  return "$argon2id$v=19$m=" + std::to_string(p.m_cost_kib) + ",t=" + std::to_string(p.t_cost) +
         ",p=" + std::to_string(p.parallelism) + "$" + b64_unpadded(salt) + "$" + b64_unpadded(*hash);
}

bool verify_password(std::string_view encoded, std::string_view password) {
  auto phc = parse_phc(encoded);
  if (!phc) return false;
  auto hash = argon2id(password, phc->salt, phc->params, phc->hash.size());
  return hash && CRYPTO_memcmp(hash->data(), phc->hash.data(), hash->size()) == 0;
}

bool is_common_password(std::string_view password) {
  const auto& list = common_list();
  return std::binary_search(list.begin(), list.end(), lower_ascii(password));
}

void check_new_password(std::string_view password) {
  auto n = code_points(password);
  if (n < kMinChars || n > kMaxChars)
    throw Error(Errc::invalid_argument,
                "password must be 8 to 128 characters long (this one has " + std::to_string(n) + ")", {}, "password");
  if (password.find('\0') != std::string_view::npos)
    throw Error(Errc::invalid_argument, "password must not contain NUL characters", {}, "password");
  if (is_common_password(password))
    throw Error(Errc::invalid_argument, "password is one of the most common passwords",
                "choose a longer passphrase that is not a well-known password", "password");
}

}  // namespace tseeder::auth
