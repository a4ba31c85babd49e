"""Failover: a controller and three agents as separate processes on loopback, twelve HTTP and
BitTorrent jobs. One agent is killed with SIGKILL mid-download and the controller is restarted
while the others work: every job completes once, with the right bytes."""
import os
import time
import unittest

from fleet_support import FleetCase
from harness import sha256_file, wait_for
from test_bittorrent import Seeder

MB = 1 << 20


class FailoverTest(FleetCase):
    http_rate = 1 * MB  # per response: each file takes seconds, so a kill lands mid-download

    def jobs(self):
        """Every job in one call (polling each job would run into the API's rate limit)."""
        return {j["id"]: j for j in self.daemon.api("GET", "/jobs?limit=100", expect=200)["jobs"]}

    def test_twelve_jobs_survive_a_killed_agent_and_a_controller_restart(self):
        agents = [self.start_agent("a%d" % i) for i in (1, 2, 3)]
        sources = {}
        for i in range(8):
            path = self.add_file("h%d.bin" % i, 4 * MB + i)
            sources[self.add_url_job("/h%d.bin" % i)] = path
        for i in range(4):
            content = os.path.join(self.tmp, "bt", "t%d.bin" % i)
            os.makedirs(os.path.dirname(content), exist_ok=True)
            with open(content, "wb") as f:
                f.write(os.urandom(3 * MB + i))
            seeder = Seeder(content, os.path.join(self.tmp, "seed%d" % i), upload_limit=MB)
            self.addCleanup(seeder.stop)
            r = self.daemon.api("POST", "/jobs", {"magnet": seeder.magnet}, expect=201)
            sources[r.get("job", r)["id"]] = content

        # The victim: an agent with a download under way.
        def victim():
            time.sleep(0.2)
            jobs = self.jobs()
            for job, agent in self.assignments().items():
                if jobs[job]["status"] == "downloading" and jobs[job]["progress"]["bytesDone"] > 0:
                    return agent
            return None

        doomed_id = wait_for(victim, 60, "a download to be under way on an agent")
        doomed = [a for a in agents if a.agent_id == doomed_id][0]
        lost = [job for job, agent in self.assignments().items() if agent == doomed_id]
        doomed.kill9()
        # The controller goes down and comes back while the other agents keep downloading.
        self.assertEqual(self.daemon.stop(), 0)
        self.daemon.start()

        def all_done():
            time.sleep(0.5)
            states = {job: j["status"] for job, j in self.jobs().items()}
            bad = {j: s for j, s in states.items() if s in ("failed", "cancelled")}
            if bad:
                raise AssertionError("jobs ended badly: %s" % bad)
            return all(s == "completed" for s in states.values())

        try:
            wait_for(all_done, 240, "all twelve jobs to complete")
        except AssertionError:
            left = {job: j["status"] for job, j in self.jobs().items() if j["status"] != "completed"}
            raise AssertionError("not completed: %s\nassigned: %s\nlast events: %s\nfleet: %s" % (
                left, self.assignments(), {job: self.daemon.timeline(job)[-3:] for job in left},
                {a["name"]: (a["health"], a["running"]) for a in self.fleet().values()}))
        owner = self.daemon.job(next(iter(sources)))["userId"]
        for job, path in sources.items():
            with self.subTest(job=job):
                completed = [d for d in self.daemon.timeline(job, "status") if d["status"] == "completed"]
                self.assertEqual(len(completed), 1)  # finished once
                stored = os.path.join(self.tmp, "shared", owner, job, "files", os.path.basename(path))
                self.assertEqual(sha256_file(stored), sha256_file(path))
        self.assertEqual(self.daemon.db_count("files"), 12)
        # An agent says a run ended right after it stored it, possibly in the next batch.
        wait_for(lambda: self.assignments() == {}, 10, "every assignment to end")
        for job in lost:
            self.assertIn("a%d stopped answering" % (agents.index(doomed) + 1), str(self.daemon.timeline(job)))
        listed = self.fleet()
        self.assertIn(listed[doomed_id]["health"], ("stale", "offline"))
        self.assertEqual({listed[a.agent_id]["health"] for a in agents if a is not doomed}, {"healthy"})


if __name__ == "__main__":
    unittest.main()
