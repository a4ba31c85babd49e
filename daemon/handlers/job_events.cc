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

Reply job_events(App& app, Request& req) {
  const JobId id = job_id_param(req);
  const auto job = app.jobs->get(req.who().user, id);
  std::int64_t seq = last_event_id(req, job.last_seq);

  auto stream = std::make_shared<SseStream>(app.io);
  // Subscribing and replaying happen in one turn of the event loop, so nothing slips between.
  stream->subscribe(app.hub, id);
  for (;;) {
    auto batch = app.jobs->events_after(id, seq);
    for (const auto& e : batch) {
      stream->push(e.seq, e.type, e.data);
      seq = e.seq;
    }
    if (batch.size() < 1000) break;
  }
  if (jobs::is_terminal(job.status)) {
    stream->end();
  } else if (job.status == jobs::JobState::downloading) {
    Json snap = jobs::to_json(job.progress);
    snap["jobId"] = id.value;
    snap["status"] = "downloading";
    stream->push(0, "progress", dump_json(snap));
  }
  Reply r;
  r.content_type = "text/event-stream";
  r.headers = {{"Cache-Control", "no-cache"}, {"X-Accel-Buffering", "no"}};
  r.stream = stream;
  return r;
}

}  // namespace tseeder::daemon::handlers
