#include "jobs/pipeline.h"

#include <boost/asio/post.hpp>
#include <memory>

#include "core/thread_name.h"

namespace tseeder::jobs {

Pipeline::Pipeline(boost::asio::io_context& io, std::size_t threads, store::Db* db) : io_(io), pool_(threads), db_(db) {
  core::name_pool_threads(pool_, threads, "pipeline");
}

Pipeline::~Pipeline() {
  shutdown();
}

void Pipeline::run(const JobId& job, Step step, Failed failed) {
  if (shut_down_) return;
  if (db_) db_->commit_group();
  stop(job);
  const auto gen = next_generation_++;
  auto& entry = steps_[job];
  entry = Running{gen, std::stop_source()};
  auto alive = alive_;
  boost::asio::post(pool_, [this, alive, job, gen, token = entry.stop.get_token(), step = std::move(step),
                            failed = std::move(failed)] {
    std::function<void()> apply;
    try {
      apply = step(token);
    } catch (const std::exception& e) {
      apply = [failed, what = std::string(e.what())] { failed(what); };
    } catch (...) {
      apply = [failed] { failed("unknown error"); };
    }
    if (token.stop_requested()) return;
    boost::asio::post(io_, [this, alive, job, gen, apply = std::move(apply), failed] {
      if (!*alive) return;
      auto it = steps_.find(job);
      if (it == steps_.end() || it->second.generation != gen) return;
      steps_.erase(it);
      if (!apply) return;
      try {
        apply();
      } catch (const std::exception& e) {
        failed(e.what());
      } catch (...) {
        failed("unknown error");
      }
    });
  });
}

void Pipeline::stop(const JobId& job) {
  auto it = steps_.find(job);
  if (it == steps_.end()) return;
  it->second.stop.request_stop();
  steps_.erase(it);
}

void Pipeline::detach(std::function<void()> work, Failed failed) {
  if (shut_down_) return;
  if (db_) db_->commit_group();
  auto alive = alive_;
  boost::asio::post(pool_, [this, alive, work = std::move(work), failed = std::move(failed)] {
    try {
      work();
    } catch (const std::exception& e) {
      boost::asio::post(io_, [alive, failed, what = std::string(e.what())] {
        if (*alive) failed(what);
      });
    } catch (...) {
      boost::asio::post(io_, [alive, failed] {
        if (*alive) failed("unknown error");
      });
    }
  });
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
