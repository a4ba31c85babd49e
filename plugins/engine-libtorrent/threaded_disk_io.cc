#include "threaded_disk_io.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <libtorrent/add_torrent_params.hpp>
#include <libtorrent/disk_buffer_holder.hpp>
#include <libtorrent/disk_observer.hpp>
#include <libtorrent/file_storage.hpp>
#include <libtorrent/posix_disk_io.hpp>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "block_pool.h"
#include "block_writer.h"
#include "core/thread_name.h"
#include "piece_hashes.h"

namespace tseeder::engine_libtorrent {

namespace {

using Task = std::function<void()>;

// Every call comes from libtorrent's network thread. Each is queued as a task for the disk
// thread, which calls posix_disk_io (built on an io_context only the disk thread polls) and
// sends the answers back to the network thread in order. Handlers are moved, never copied, so
// the objects they hold (peer connections) are released on the network thread only.
class ThreadedDiskIo final : public lt::disk_interface {
 public:
  ThreadedDiskIo(lt::io_context& net, lt::settings_interface const& settings, lt::counters& counters)
      : net_(net), settings_(settings), inner_(lt::posix_disk_io_constructor(disk_ios_, settings, counters)) {
    settings_updated();
    thread_ = std::thread([this] { run(); });
  }

  ~ThreadedDiskIo() override {
    abort(true);
    // Releasing the last torrents here may call remove_torrent, which does nothing once stopped.
    std::vector<std::shared_ptr<void>> owners;
    owners.swap(owners_);
  }

  lt::storage_holder new_torrent(lt::storage_params const& p, std::shared_ptr<void> const& owner) override {
    core::name_this_thread("lt-network");  // libtorrent's own thread, which calls this
    std::uint32_t idx = 0;
    if (free_.empty()) {
      idx = static_cast<std::uint32_t>(owners_.size());
      owners_.emplace_back();
    } else {
      idx = free_.back();
      free_.pop_back();
    }
    // The torrent owns p.files and keeps it as long as we hold the torrent; the renamed copy and
    // the rest change on this thread, so the disk thread gets copies.
    owners_[idx] = owner;
    net_hashes_.add_storage(idx, {p.files.total_size(), p.files.piece_length()});
    std::optional<lt::file_storage> mapped;
    if (p.mapped_files) mapped = *p.mapped_files;
    enqueue([this, idx, files = &p.files, mapped = std::move(mapped), path = p.path, mode = p.mode, prio = p.priorities,
             ih = p.info_hash] {
      if (storages_.size() <= idx) storages_.resize(idx + 1);
      const lt::storage_params params(*files, mapped ? &*mapped : nullptr, path, mode, prio, ih);
      storages_[idx] = inner_->new_torrent(params, nullptr);
      hashes_.add_storage(idx, {files->total_size(), files->piece_length()});
      // posix_storage ignores the priorities it is made with and learns them from
      // async_set_file_priority: the writer follows it, so both agree on which files are wanted.
      writer_.add(idx, files, mapped, path, {});
    });
    return lt::storage_holder(lt::storage_index_t{idx}, *this);
  }

  void remove_torrent(lt::storage_index_t s) override {
    const auto idx = index(s);
    enqueue([this, idx] {
      writer_.remove(idx);
      storages_[idx].reset();
      hashes_.remove_storage(idx);
      // The slot is reused, and the torrent released, only once every earlier task is done.
      done_.push_back([this, idx] {
        net_hashes_.remove_storage(idx);
        owners_[idx].reset();
        free_.push_back(idx);
      });
    });
  }

  void abort(bool) override {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      stopping_ = true;
    }
    cv_.notify_one();
    thread_.join();
    inner_->abort(true);
  }

  void async_read(lt::storage_index_t s, lt::peer_request const& r,
                  std::function<void(lt::disk_buffer_holder, lt::storage_error const&)> handler,
                  lt::disk_job_flags_t flags) override {
    enqueue(
        [this, idx = index(s), r, flags, handler = std::move(handler)]() mutable {
          auto answer = [this, h = std::move(handler)](lt::disk_buffer_holder b, lt::storage_error const& e) mutable {
            // The buffer holder cannot be copied, and tasks must be: share it.
            auto held = std::make_shared<lt::disk_buffer_holder>(std::move(b));
            done_.push_back([h = std::move(h), held, e]() mutable { h(std::move(*held), e); });
          };
          inner_->async_read(storages_[idx], r, std::move(answer), flags);
        },
        kWaitForSubmit);
  }

  bool async_write(lt::storage_index_t s, lt::peer_request const& r, char const* buf,
                   std::shared_ptr<lt::disk_observer> o, std::function<void(lt::storage_error const&)> handler,
                   lt::disk_job_flags_t flags) override {
    // Peers asked to stop still hand over what they already read (up to a receive buffer each):
    // past twice the queue's bound this thread waits for the disk, as it always did without one.
    if (queued_bytes_.load() > 2 * std::int64_t{high_water_.load()}) wait_for_disk();
    // libtorrent's buffer is only ours during this call.
    auto block = pool_->get(static_cast<std::size_t>(r.length));
    std::copy(buf, buf + r.length, block.get());
    const bool full = queued_bytes_.fetch_add(r.length) + r.length > high_water_.load();
    // Flagged before the task is queued, so the disk thread sees it when it drains the queue.
    if (full) {
      exceeded_ = true;
      waiting_.push_back(std::move(o));
    }
    // Each piece is hashed by one thread: by this one if the disk thread lags behind when the
    // piece's first block comes, by the disk thread otherwise. Hashing is about half of the disk
    // thread's work, so this keeps both threads busy when the disk is the slower side.
    const auto idx = index(s);
    const int piece = static_cast<int>(r.piece);
    const bool hash_here =
        net_hashes_.tracking(idx, piece) || (r.start == 0 && queued_bytes_.load() > high_water_.load() / 4);
    if (hash_here) net_hashes_.written(idx, piece, r.start, {buf, r.length});
    enqueue(
        [this, idx, r, flags, block, hash_here, handler = std::move(handler)]() mutable {
          auto answer = [this, idx, r, block, hash_here, h = std::move(handler)](lt::storage_error const& e) mutable {
            const int piece = static_cast<int>(r.piece);
            if (e)
              hashes_.spoil(idx, piece);
            else if (!hash_here)
              hashes_.written(idx, piece, r.start, {block.get(), r.length});
            if ((queued_bytes_ -= r.length) <= high_water_.load() && net_waits_.load()) {
              std::lock_guard lock(mu_);
              space_.notify_one();
            }
            done_.push_back([h = std::move(h), e] { h(e); });
          };
          if (auto result = writer_.write(idx, static_cast<int>(r.piece), r.start, {block.get(), r.length}))
            answer(*result);
          else
            inner_->async_write(storages_[idx], r, block.get(), nullptr, std::move(answer), flags);
        },
        kWaitForSubmit);
    return full;
  }

  void async_hash(
      lt::storage_index_t s, lt::piece_index_t piece, lt::span<lt::sha256_hash> v2, lt::disk_job_flags_t flags,
      std::function<void(lt::piece_index_t, lt::sha1_hash const&, lt::storage_error const&)> handler) override {
    const auto idx = index(s);
    const int p = static_cast<int>(piece);
    // v2 block hashes are not kept from the writes: those pieces are read back.
    const bool v1_only = v2.empty() && (flags & lt::disk_interface::v1_hash);
    const bool net_tracked = net_hashes_.tracking(idx, p);
    const auto net_sha1 = net_hashes_.take(idx, p);
    enqueue([this, idx, p, piece, v2, flags, v1_only, net_tracked, net_sha1, handler = std::move(handler)]() mutable {
      // Blocks of one piece on both threads (a rewrite, a failed write) leave neither hash whole.
      const bool disk_tracked = hashes_.tracking(idx, p);
      const auto disk_sha1 = hashes_.take(idx, p);
      std::optional<lt::sha1_hash> sha1;
      if (v1_only && !(net_tracked && disk_tracked)) sha1 = net_sha1 ? net_sha1 : disk_sha1;
      if (sha1) {
        done_.push_back([h = std::move(handler), piece, hash = *sha1] { h(piece, hash, lt::storage_error{}); });
        return;
      }
      inner_->async_hash(storages_[idx], piece, v2, flags, relay(std::move(handler)));
    });
  }

  void async_hash2(
      lt::storage_index_t s, lt::piece_index_t piece, int offset, lt::disk_job_flags_t flags,
      std::function<void(lt::piece_index_t, lt::sha256_hash const&, lt::storage_error const&)> handler) override {
    enqueue([this, idx = index(s), piece, offset, flags, handler = std::move(handler)]() mutable {
      inner_->async_hash2(storages_[idx], piece, offset, flags, relay(std::move(handler)));
    });
  }

  void async_move_storage(
      lt::storage_index_t s, std::string path, lt::move_flags_t flags,
      std::function<void(lt::status_t, std::string const&, lt::storage_error const&)> handler) override {
    enqueue([this, idx = index(s), path = std::move(path), flags, handler = std::move(handler)]() mutable {
      writer_.close(idx);
      auto answer = [this, idx, h = relay(std::move(handler))](lt::status_t st, std::string const& p,
                                                               lt::storage_error const& e) mutable {
        writer_.moved(idx, p);  // where the files are now, moved or not
        h(st, p, e);
      };
      inner_->async_move_storage(storages_[idx], std::move(path), flags, std::move(answer));
    });
  }

  void async_release_files(lt::storage_index_t s, std::function<void()> handler) override {
    enqueue([this, idx = index(s), handler = std::move(handler)]() mutable {
      writer_.close(idx);
      inner_->async_release_files(storages_[idx], handler ? relay(std::move(handler)) : nullptr);
    });
  }

  void async_check_files(lt::storage_index_t s, lt::add_torrent_params const* resume_data,
                         lt::aux::vector<std::string, lt::file_index_t> links,
                         std::function<void(lt::status_t, lt::storage_error const&)> handler) override {
    enqueue([this, idx = index(s), resume_data, links = std::move(links), handler = std::move(handler)]() mutable {
      // The posix storage remembers file sizes between checks, and blocks written here did not
      // update them: releasing the files forgets them.
      writer_.close(idx);
      inner_->async_release_files(storages_[idx], nullptr);
      inner_->async_check_files(storages_[idx], resume_data, std::move(links), relay(std::move(handler)));
    });
  }

  void async_stop_torrent(lt::storage_index_t s, std::function<void()> handler) override {
    enqueue([this, idx = index(s), handler = std::move(handler)]() mutable {
      writer_.close(idx);
      inner_->async_stop_torrent(storages_[idx], handler ? relay(std::move(handler)) : nullptr);
    });
  }

  void async_rename_file(
      lt::storage_index_t s, lt::file_index_t file, std::string name,
      std::function<void(std::string const&, lt::file_index_t, lt::storage_error const&)> handler) override {
    enqueue([this, idx = index(s), file, name = std::move(name), handler = std::move(handler)]() mutable {
      writer_.close(idx);
      auto answer = [this, idx, h = relay(std::move(handler))](std::string const& n, lt::file_index_t f,
                                                               lt::storage_error const& e) mutable {
        if (!e) writer_.renamed(idx, f, n);
        h(n, f, e);
      };
      inner_->async_rename_file(storages_[idx], file, std::move(name), std::move(answer));
    });
  }

  void async_delete_files(lt::storage_index_t s, lt::remove_flags_t options,
                          std::function<void(lt::storage_error const&)> handler) override {
    enqueue([this, idx = index(s), options, handler = std::move(handler)]() mutable {
      writer_.close(idx);
      inner_->async_delete_files(storages_[idx], options, relay(std::move(handler)));
    });
  }

  void async_set_file_priority(
      lt::storage_index_t s, lt::aux::vector<lt::download_priority_t, lt::file_index_t> prio,
      std::function<void(lt::storage_error const&, lt::aux::vector<lt::download_priority_t, lt::file_index_t>)> handler)
      override {
    enqueue([this, idx = index(s), prio = std::move(prio), handler = std::move(handler)]() mutable {
      // A file wanted again may have its part moved out of the part file into it.
      writer_.close(idx);
      auto answer = [this, idx, h = relay(std::move(handler))](
                        lt::storage_error const& e,
                        lt::aux::vector<lt::download_priority_t, lt::file_index_t> p) mutable {
        writer_.prioritized(idx, {p.begin(), p.end()});  // what the posix storage now holds
        h(e, std::move(p));
      };
      inner_->async_set_file_priority(storages_[idx], std::move(prio), std::move(answer));
    });
  }

  void async_clear_piece(lt::storage_index_t s, lt::piece_index_t piece,
                         std::function<void(lt::piece_index_t)> handler) override {
    net_hashes_.clear(index(s), static_cast<int>(piece));
    enqueue([this, idx = index(s), piece, handler = std::move(handler)]() mutable {
      hashes_.clear(idx, static_cast<int>(piece));
      inner_->async_clear_piece(storages_[idx], piece, relay(std::move(handler)));
    });
  }

  void update_stats_counters(lt::counters&) const override {}
  std::vector<lt::open_file_state> get_status(lt::storage_index_t) const override { return {}; }
  // libtorrent calls this after each round of reads and writes it queued.
  void submit_jobs() override {
    bool wake = false;
    {
      std::lock_guard lock(mu_);
      wake = idle_ && !queue_.empty();
    }
    if (wake) cv_.notify_one();
  }

  void settings_updated() override {
    // The write queue's bound: past it, peers stop reading until the disk thread catches up.
    high_water_ = std::max(settings_.get_int(lt::settings_pack::max_queued_disk_bytes), 256 << 10);
    enqueue([this] { inner_->settings_updated(); });
  }

 private:
  static std::uint32_t index(lt::storage_index_t s) { return static_cast<std::uint32_t>(s); }

  // A handler for posix_disk_io that hands the answer to the network thread.
  template <typename... Args>
  std::function<void(Args...)> relay(std::function<void(Args...)> h) {
    return [this, h = std::move(h)](Args... args) mutable {
      done_.push_back([h = std::move(h), ... copies = std::decay_t<Args>(args)]() mutable { h(copies...); });
    };
  }

  // Blocks come by the thousand and libtorrent follows each round of them with submit_jobs, so
  // they wake the disk thread once per round; anything else wakes it at once.
  static constexpr bool kWaitForSubmit = false;

  void wait_for_disk() {
    std::unique_lock lock(mu_);
    net_waits_ = true;
    if (idle_) cv_.notify_one();  // blocks queued without submit_jobs yet
    space_.wait(lock, [&] { return stopping_ || queued_bytes_.load() <= high_water_.load(); });
    net_waits_ = false;
  }

  void enqueue(Task task, bool wake = true) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      queue_.push_back(std::move(task));
      wake = wake && idle_;
    }
    if (wake) cv_.notify_one();
  }

  void run() {
    core::name_this_thread("lt-disk");
    std::vector<Task> batch;
    for (;;) {
      {
        std::unique_lock lock(mu_);
        idle_ = true;
        cv_.wait(lock, [&] { return !queue_.empty() || stopping_; });
        idle_ = false;
        if (queue_.empty()) return;
        batch.swap(queue_);
      }
      for (auto& task : batch) {
        task();
        // posix_disk_io posts its answer before returning: run it now.
        disk_ios_.restart();
        disk_ios_.poll();
        if (done_.size() >= kAnswersPerPost) send_answers();
      }
      send_answers();
      batch.clear();
    }
  }

  // Answers go back in groups: one wake-up of the network thread per group, not per block.
  static constexpr std::size_t kAnswersPerPost = 32;

  void send_answers() {
    const bool drained = queued_bytes_.load() <= high_water_.load() / 2 && exceeded_.exchange(false);
    if (done_.empty() && !drained) return;
    boost::asio::post(net_, [this, answers = std::move(done_), drained]() mutable {
      for (auto& answer : answers) answer();
      if (!drained) return;
      auto waiting = std::move(waiting_);
      waiting_.clear();
      for (auto& o : waiting) o->on_disk();
    });
    done_.clear();
  }

  lt::io_context& net_;
  lt::settings_interface const& settings_;
  lt::io_context disk_ios_;
  // It keeps what the queue held at its fullest (twice its bound), up to 16 MiB.
  std::shared_ptr<BlockPool> pool_ = std::make_shared<BlockPool>(1024);
  std::unique_ptr<lt::disk_interface> inner_;

  // Network thread only.
  std::vector<std::shared_ptr<void>> owners_;  // by storage index; keeps each torrent's files alive
  std::vector<std::uint32_t> free_;
  std::vector<std::shared_ptr<lt::disk_observer>> waiting_;
  PieceHashes net_hashes_;  // pieces this thread hashes

  // Shared.
  std::mutex mu_;
  std::condition_variable cv_;     // work for the disk thread
  std::condition_variable space_;  // room in the queue for the network thread
  std::atomic<bool> net_waits_{false};
  std::vector<Task> queue_;
  bool stopping_ = false;
  bool idle_ = false;  // the disk thread waits for work
  std::atomic<std::int64_t> queued_bytes_{0};
  std::atomic<int> high_water_{0};
  std::atomic<bool> exceeded_{false};

  // Disk thread only.
  std::vector<lt::storage_holder> storages_;  // posix_disk_io's, by our index
  BlockWriter writer_;
  PieceHashes hashes_;  // pieces the disk thread hashes, and pieces with a failed write
  std::vector<Task> done_;

  std::thread thread_;
};

}  // namespace

std::unique_ptr<lt::disk_interface> threaded_disk_io_constructor(lt::io_context& ios,
                                                                 lt::settings_interface const& settings,
                                                                 lt::counters& counters) {
  return std::make_unique<ThreadedDiskIo>(ios, settings, counters);
}

}  // namespace tseeder::engine_libtorrent
