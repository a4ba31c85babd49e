#include "fleet/join_tokens.h"

#include "core/digest.h"
#include "core/error.h"
#include "core/ids.h"
#include "core/secrets.h"

namespace tseeder::fleet {
namespace {
constexpr std::string_view kPrefix = "tsj_";
constexpr std::size_t kNoteMax = 200;
}  // namespace

NewJoinToken JoinTokens::create(const auth::Principal& actor, const std::optional<std::string>& note,
                                const auth::RequestMeta& meta) {
  if (note && note->size() > kNoteMax)
    throw Error(Errc::invalid_argument, "note is longer than 200 characters", "say which machine it is for", "note");
  if (auto wait = limiter_.take("fleet:join-tokens", kJoinTokensPerMinute, 60))
    throw Error(Errc::rate_limited, "at most 5 join tokens are made per minute", "try again shortly")
        .retry_after(*wait);
  NewJoinToken out;
  const std::string secret = random_token(32);
  auto& t = out.record;
  t.id = random_hex_id(8);
  t.secret_hash = sha256_hex(secret);
  if (note && !note->empty()) t.note = note;
  t.created_by = actor.user.value;
  t.created_at_ms = clock_.now_ms();
  t.expires_at_ms = t.created_at_ms + kJoinTokenTtlMs;
  store::JoinTokenRepo(db_).insert(t);
  out.token = std::string(kPrefix) + t.id + "_" + secret;
  audit_.record(&actor, meta, "fleet.join_token.create", "join-token:" + t.id,
                {{"note", or_null(t.note)}, {"expiresAt", t.expires_at_ms}});
  return out;
}

store::JoinToken JoinTokens::redeem(const std::string& token, const std::string& agent) {
  const Error refused(Errc::unauthenticated, "the join token is not valid: unknown, used or expired",
                      "ask an admin for a new one: tseeder admin fleet token");
  // tsj_ + 16 hex id + _ + secret
  if (!token.starts_with(kPrefix) || token.size() < kPrefix.size() + 18 || token[kPrefix.size() + 16] != '_')
    throw refused;
  const std::string id = token.substr(kPrefix.size(), 16);
  const std::string secret = token.substr(kPrefix.size() + 17);
  store::JoinTokenRepo repo(db_);
  auto t = repo.find(id);
  if (!t || !equal_constant_time(t->secret_hash, sha256_hex(secret))) throw refused;
  const auto now = clock_.now_ms();
  if (!repo.spend(id, agent, now)) throw refused;  // used or expired
  t->used_at_ms = now;
  t->used_by_agent = agent;
  return *t;
}

Json to_json(const store::JoinToken& t) {
  return {{"id", t.id},
          {"note", or_null(t.note)},
          {"createdBy", or_null(t.created_by)},
          {"createdAt", t.created_at_ms},
          {"expiresAt", t.expires_at_ms},
          {"usedAt", or_null(t.used_at_ms)},
          {"usedByAgent", or_null(t.used_by_agent)}};
}

}  // namespace tseeder::fleet
