#include <charconv>

#include "core/error.h"
#include "handlers/handlers.h"
#include "handlers/sse_stream.h"

namespace tseeder::daemon::handlers {
namespace {

// Last-Event-ID from the header (EventSource reconnects) or ?lastEventId= (first connects).
std::int64_t last_event_id(const Request& req, std::int64_t job_last_seq) {
  std::string text = req.header("Last-Event-ID");
  if (text.empty()) text = req.query_param("lastEventId").value_or("");
  if (text.empty()) return 0;
  std::int64_t n = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 0)
    throw Error(Errc::invalid_argument, "Last-Event-ID '" + text.substr(0, 40) + "' is not an event number",
                "send the id of the last event received, or nothing", "Last-Event-ID");
  if (n > job_last_seq)
    throw Error(
        Errc::invalid_argument,
        "Last-Event-ID " + std::to_string(n) + " is beyond this job's last event " + std::to_string(job_last_seq), {},
        "Last-Event-ID");
  return n;
}

}  // namespace

Reply job_events(JobEventsApi& api, Request& req) {
  const JobId id = job_id_param(req);
  const auto job = api.jobs.get(req.who().user, id);
  std::int64_t seq = last_event_id(req, job.last_seq);

  // The socket operator is not limited; every account is.
  const bool operator_peer = req.who().via == auth::Via::unix_peer;
  auto ticket =
      api.streams.take(req.who().user.value, operator_peer ? 0 : static_cast<std::size_t>(api.streams_per_account));
  if (!ticket)
    throw Error(Errc::rate_limited,
                "this account has " + std::to_string(api.streams_per_account) + " live event streams open",
                "close one (limits.streams_per_account)")
        .retry_after(5);
  std::optional<std::string> snapshot;
  if (job.status == jobs::JobState::downloading) {
    Json snap = jobs::to_json(job.progress);
    snap["jobId"] = id.value;
    snap["status"] = "downloading";
    snapshot = dump_json(snap);
  }
  auto stream = std::make_shared<SseStream>(api.io, std::move(ticket));
  stream->start(
      api.hub, id, seq,
      [&jobs = api.jobs, id](std::int64_t after, int limit) { return jobs.events_after(id, after, limit); }, snapshot,
      jobs::is_terminal(job.status));
  Reply r;
  r.content_type = "text/event-stream";
  r.headers = {{"Cache-Control", "no-cache"}, {"X-Accel-Buffering", "no"}};
  r.stream = stream;
  return r;
}

}  // namespace tseeder::daemon::handlers
