# tseeder — one entry point for new users, CI and packagers.
#   make run    install missing packages, build, start tseederd on ./var
#   make test   install missing packages, build, run every test
#   make test SAN=1   the same under AddressSanitizer + UndefinedBehaviorSanitizer

SAN ?= 0
BUILD_TYPE ?= RelWithDebInfo
ifeq ($(SAN),1)
BUILD_DIR ?= build-san
CMAKE_EXTRA := -DTSEEDER_SANITIZE=ON
else
BUILD_DIR ?= build
CMAKE_EXTRA :=
endif
JOBS ?= $(shell nproc)
PREFIX ?= /usr/local

# Everything the build, the tests and the benchmarks use, all Debian 12 packages.
DEB_PACKAGES := build-essential cmake ninja-build ccache pkg-config \
  libtorrent-rasterbar-dev libcli11-dev libcurl4-openssl-dev libboost-dev \
  libyaml-cpp-dev libargon2-dev libmimalloc-dev zlib1g-dev libspdlog-dev nlohmann-json3-dev libsqlite3-dev libssl-dev \
  libgtest-dev libgmock-dev python3 python3-libtorrent curl aria2 sqlite3 time openssl bsdutils git opentracker clang clang-format libclang-rt-14-dev \
  qbittorrent-nox transmission-cli ctorrent python3-aiosmtpd iproute2 unzip clamav clamav-daemon \
  swift swift-proxy swift-account swift-container swift-object memcached rclone wrk linux-perf transmission-daemon \
  prometheus libqrencode-dev zbar-tools \
  rtorrent deluged mktorrent iperf3 fio nginx-light

.PHONY: all deps build run test bench install clean

all: build

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing: $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	  -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache $(CMAKE_EXTRA)

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	@mkdir -p var
	$(BUILD_DIR)/daemon/tseederd --data-dir var --plugin-dir $(BUILD_DIR)/plugins

test: build
	cd $(BUILD_DIR) && ctest -j2 --output-on-failure --timeout 600

bench: build
	tests/bench/http_fetch.sh $(BUILD_DIR)
	THROTTLE_MBPS=20 tests/bench/http_fetch.sh $(BUILD_DIR) 3 256
	tests/bench/seedr_pull.sh $(BUILD_DIR)
	tests/bench/bt_loopback.sh $(BUILD_DIR)
	tests/bench/bt_many.py $(BUILD_DIR)
	tests/bench/s3_upload.sh $(BUILD_DIR)
	tests/bench/zip_serve.sh $(BUILD_DIR)
	tests/bench/fleet_scale.py $(BUILD_DIR)
	tests/bench/api_load.sh $(BUILD_DIR)
	tests/bench/progress_load.sh $(BUILD_DIR)

install: build
	cmake --install $(BUILD_DIR) --prefix $(PREFIX)

clean:
	rm -rf build build-san
