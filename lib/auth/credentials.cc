#include "auth/credentials.h"

#include "store/plan_repo.h"

#include "core/error.h"
#include "core/secrets.h"
#include "store/db.h"

namespace tseeder::auth {

namespace {

constexpr std::size_t kMaxKeyName = 100;
constexpr std::int64_t kMaxApiKeys = 100;  // live keys per account

Error unauthenticated(std::string why) {
  return Error(Errc::unauthenticated, std::move(why), "log in again or present a valid API key");
}

}  // namespace

Credentials::Credentials(store::Db& db, const Clock& clock, audit::AuditLog& audit, const AuthSettings& settings)
    : db_(db), clock_(clock), audit_(audit), settings_(settings), users_(db), sessions_(db), keys_(db), tokens_(db) {}

bool Credentials::in_good_standing(const UserId& id) {
  auto u = users_.find(id);
  return u && !u->suspended_at_ms;
}

auth::User Credentials::live_user(const UserId& id) {
  auto u = users_.find(id);
  if (!u) throw unauthenticated("the account of these credentials no longer exists");
  if (u->suspended_at_ms) throw Error(Errc::forbidden, "account suspended", "contact the operator");
  return *u;
}

Principal Credentials::for_user(const auth::User& user, Via via) {
  Principal p;
  p.user = user.id;
  p.role = user.role;
  p.plan = user.plan;
  p.via = via;
  return p;
}

NewSession Credentials::open_session(const auth::User& user, const RequestMeta& meta) {
  const auto now = clock_.now_ms();
  NewSession out;
  out.token = random_token();
  out.csrf_token = random_token();
  out.id = random_hex_id(8);
  out.max_age_s = settings_.session_absolute_ms / 1000;
  store::SessionRow row;
  row.id = out.id;
  row.user_id = user.id;
  row.token_hash = sha256_hex(out.token);
  row.csrf_token = out.csrf_token;
  row.ip = meta.ip;
  row.user_agent = meta.user_agent.substr(0, 300);
  row.created_at_ms = row.last_seen_at_ms = now;
  row.expires_at_ms = now + settings_.session_absolute_ms;

  store::Transaction tx(db_);
  auto plan = store::PlanRepo(db_).find(user.plan);
  if (auto limit = plan ? plan->max_sessions : std::nullopt; limit && *limit > 0) {
    auto live = sessions_.live_for_user(user.id, now, settings_.session_idle_ms);
    // Oldest use first: the sessions the user is least likely to miss make room.
    for (std::size_t i = 0; live.size() - i >= static_cast<std::size_t>(*limit); ++i) {
      sessions_.revoke(user.id, live[i].id, "session limit of plan " + user.plan, now);
      audit_.record(nullptr, meta, "session.evicted", "session:" + live[i].id,
                    {{"userId", user.id.value}, {"limit", *limit}});
    }
  }
  sessions_.insert(row);
  tx.commit();
  return out;
}

Principal Credentials::from_session_token(const std::string& token) {
  if (token.empty() || token.size() > 100) throw unauthenticated("session cookie is malformed");
  auto s = sessions_.find_by_token_hash(sha256_hex(token));
  const auto now = clock_.now_ms();
  if (!s || s->revoked_at_ms) throw unauthenticated("session has ended");
  if (s->expires_at_ms <= now || s->last_seen_at_ms + settings_.session_idle_ms <= now)
    throw unauthenticated("session expired");
  auto user = live_user(s->user_id);
  // Refreshing last use on every request would write on every read; a tenth of the idle limit
  // (at most a minute) keeps the idle expiry accurate enough.
  if (now - s->last_seen_at_ms >= std::min<std::int64_t>(60'000, settings_.session_idle_ms / 10))
    sessions_.touch(s->id, now);
  Principal p = for_user(user, Via::session);
  p.session_id = s->id;
  p.csrf_token = s->csrf_token;
  return p;
}

Principal Credentials::from_api_key(const std::string& key) {
  // tsk_PREFIX_SECRET
  if (!key.starts_with(kApiKeyPrefix)) throw unauthenticated("API key is malformed");
  auto sep = key.find('_', kApiKeyPrefix.size());
  if (sep == std::string::npos || key.size() > 200) throw unauthenticated("API key is malformed");
  auto prefix = key.substr(kApiKeyPrefix.size(), sep - kApiKeyPrefix.size());
  auto secret = key.substr(sep + 1);
  auto row = keys_.find_by_prefix(prefix);
  // Hash and compare even for an unknown prefix so timing says nothing about which exist.
  const std::string want = row ? row->secret_hash : std::string(64, '0');
  const bool match = equal_constant_time(sha256_hex(secret), want);
  const auto now = clock_.now_ms();
  if (!row || !match || row->revoked_at_ms) throw unauthenticated("API key is not valid");
  if (row->expires_at_ms && *row->expires_at_ms <= now) throw unauthenticated("API key expired");
  auto user = live_user(row->user_id);
  if (!row->last_used_at_ms || now - *row->last_used_at_ms >= 60'000) keys_.touch(row->id, now);
  Principal p = for_user(user, Via::api_key);
  p.api_key_id = row->id;
  return p;
}

std::vector<store::SessionRow> Credentials::sessions(const UserId& user) {
  return sessions_.live_for_user(user, clock_.now_ms(), settings_.session_idle_ms);
}

void Credentials::revoke_session(const UserId& user, const std::string& id, const std::string& reason) {
  if (!sessions_.revoke(user, id, reason, clock_.now_ms()))
    throw Error(Errc::not_found, "session " + id + " not found", "list them with GET /auth/sessions");
}

int Credentials::revoke_all_sessions(const UserId& user, const std::string& keep, const std::string& reason) {
  return sessions_.revoke_all(user, keep, reason, clock_.now_ms());
}

EndedCredentials Credentials::end_all(const UserId& user, const KeepCredential& keep, const std::string& reason) {
  const auto now = clock_.now_ms();
  EndedCredentials out;
  out.sessions = sessions_.revoke_all(user, keep.session_id, reason, now);
  if (!keep.all_api_keys) out.api_keys = keys_.revoke_all(user, keep.api_key_id, now);
  out.reset_tokens = tokens_.expire_all(user, "reset", now);
  return out;
}

Json EndedCredentials::to_json() const {
  return {{"sessionsEnded", sessions}, {"apiKeysRevoked", api_keys}, {"resetTokensEnded", reset_tokens}};
}

NewApiKey Credentials::create_api_key(const UserId& user, const std::string& name,
                                      std::optional<std::int64_t> ttl_days) {
  if (name.empty() || name.size() > kMaxKeyName)
    throw Error(Errc::invalid_argument, "name must be 1 to 100 characters", "e.g. \"backup script\"", "name");
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f)
      throw Error(Errc::invalid_argument, "name must not contain control characters", {}, "name");
  if (ttl_days && (*ttl_days < 1 || *ttl_days > 3650))
    throw Error(Errc::invalid_argument, "expiresInDays must be 1 to 3650", "leave it out for a key without expiry",
                "expiresInDays");
  // Keys are listed whole: an account keeps a bounded number, as it has a bounded number of uses.
  if (keys_.count_for_user(user) >= kMaxApiKeys)
    throw Error(Errc::conflict, "this account has " + std::to_string(kMaxApiKeys) + " API keys already",
                "revoke one it no longer needs (tseeder keys ls, tseeder keys rm ID)");
  const auto now = clock_.now_ms();
  NewApiKey out;
  out.row.id = random_hex_id(8);
  out.row.user_id = user;
  out.row.name = name;
  out.row.prefix = random_hex_id(6);
  const std::string secret = random_token();
  out.row.secret_hash = sha256_hex(secret);
  out.row.created_at_ms = now;
  if (ttl_days) out.row.expires_at_ms = now + *ttl_days * 24 * 3600 * 1000;
  keys_.insert(out.row);
  out.key = std::string(kApiKeyPrefix) + out.row.prefix + "_" + secret;
  return out;
}

std::vector<store::ApiKeyRow> Credentials::api_keys(const UserId& user) {
  return keys_.list_for_user(user);
}

void Credentials::revoke_api_key(const UserId& user, const std::string& id) {
  if (!keys_.revoke(user, id, clock_.now_ms()))
    throw Error(Errc::not_found, "API key " + id + " not found", "list them with GET /auth/api-keys");
}

Json session_json(const store::SessionRow& s, const std::string& current_id) {
  return Json{{"id", s.id},
              {"current", s.id == current_id},
              {"ip", s.ip},
              {"userAgent", s.user_agent},
              {"createdAt", s.created_at_ms},
              {"lastSeenAt", s.last_seen_at_ms},
              {"expiresAt", s.expires_at_ms}};
}

Json api_key_json(const store::ApiKeyRow& k) {
  return Json{{"id", k.id},
              {"name", k.name},
              {"prefix", std::string(kApiKeyPrefix) + k.prefix},
              {"createdAt", k.created_at_ms},
              {"lastUsedAt", or_null(k.last_used_at_ms)},
              {"expiresAt", or_null(k.expires_at_ms)}};
}

}  // namespace tseeder::auth
