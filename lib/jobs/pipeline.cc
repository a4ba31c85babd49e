#include "jobs/pipeline.h"

#include <boost/asio/post.hpp>
#include <memory>

namespace tseeder::jobs {

Pipeline::Pipeline(boost::asio::io_context& io, std::size_t threads) : io_(io), pool_(threads) {}

Pipeline::~Pipeline() {
  shutdown();
}

void Pipeline::run(const JobId& job, Step step) {
  if (shut_down_) return;
  stop(job);
  const auto gen = next_generation_++;
  auto& entry = steps_[job];
  entry = Running{gen, std::stop_source()};
  auto alive = alive_;
  boost::asio::post(pool_, [this, alive, job, gen, token = entry.stop.get_token(), step = std::move(step)] {
    auto apply = step(token);
    if (token.stop_requested()) return;
    boost::asio::post(io_, [this, alive, job, gen, apply = std::move(apply)] {
      if (!*alive) return;
      auto it = steps_.find(job);
      if (it == steps_.end() || it->second.generation != gen) return;
      steps_.erase(it);
      if (apply) apply();
    });
  });
}

void Pipeline::stop(const JobId& job) {
  auto it = steps_.find(job);
  if (it == steps_.end()) return;
  it->second.stop.request_stop();
  steps_.erase(it);
}

void Pipeline::detach(std::function<void()> work) {
  if (!shut_down_) boost::asio::post(pool_, std::move(work));
}

void Pipeline::shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  *alive_ = false;
  for (auto& [job, running] : steps_) running.stop.request_stop();
  steps_.clear();
  pool_.join();
}

}  // namespace tseeder::jobs
