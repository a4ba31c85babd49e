// In-process fan-out of job events to live subscribers (SSE streams). Single-threaded: used only
// on the daemon's event loop.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/ids.h"

namespace tseeder::progress {

struct HubEvent {
  JobId job;
  std::int64_t seq = 0;  // 0: a snapshot with no id of its own
  std::string type;
  std::string data;    // JSON text
  bool final = false;  // the job will produce no more events (deleted)
};

class ProgressHub {
 public:
  using Listener = std::function<void(const HubEvent&)>;

  class Subscription {
   public:
    Subscription() = default;
    Subscription(ProgressHub* hub, JobId job, std::uint64_t token) : hub_(hub), job_(std::move(job)), token_(token) {}
    Subscription(Subscription&& o) noexcept { *this = std::move(o); }
    Subscription& operator=(Subscription&& o) noexcept;
    ~Subscription() { reset(); }
    void reset();

   private:
    ProgressHub* hub_ = nullptr;
    JobId job_;
    std::uint64_t token_ = 0;
  };

  Subscription subscribe(const JobId& job, Listener listener);
  void publish(const HubEvent& event);
  std::size_t subscriber_count() const;

 private:
  void unsubscribe(const JobId& job, std::uint64_t token);

  std::uint64_t next_token_ = 1;
  std::map<JobId, std::map<std::uint64_t, std::shared_ptr<Listener>>> listeners_;
};

}  // namespace tseeder::progress
