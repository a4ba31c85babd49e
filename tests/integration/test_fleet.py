"""A controller and its agents: joining with a token, heartbeats and health, dispatch by load
and throughput score, drain and removal, and the signed wire that refuses (and audits) forged,
replayed and stale requests."""
import json
import os
import stat
import time
import unittest

from fleet_support import FleetCase, reply_ok
from harness import wait_for


def capabilities(score, max_jobs, engines=("engine-http",)):
    return {"cores": 2, "memoryBytes": 1 << 30, "freeDiskBytes": 1 << 34, "engines": list(engines),
            "scanners": [], "maxJobs": max_jobs, "score": score, "version": "0.1.0"}


class SimulatedAgent:
    """Speaks the wire from the test: registers, heartbeats, polls, reports."""

    def __init__(self, case, name, score, max_jobs):
        self.case = case
        self.boot = os.urandom(16).hex()
        self.caps = capabilities(score, max_jobs)
        token = case.join_token()
        r, headers = case.wire("/fleet/v1/register", {"token": token, "name": name, "bootId": self.boot,
                                                      "capabilities": self.caps}, "join", token)
        case.assertEqual(r.status, 200, r.body)
        case.assertTrue(reply_ok(token, "/fleet/v1/register", headers, r))
        self.id, self.secret = r.json()["agentId"], r.json()["secret"]
        self.seq = 0

    def call(self, path, body):
        r, headers = self.case.wire(path, body, self.id, self.secret)
        if r.status == 200:
            self.case.assertTrue(reply_ok(self.secret, path, headers, r), "reply not signed")
        return r

    def heartbeat(self, jobs=()):
        return self.call("/fleet/v1/heartbeat", {"bootId": self.boot, "active": len(jobs), "jobs": list(jobs),
                                                 "capabilities": self.caps})

    def work(self):
        r = self.call("/fleet/v1/work", {})
        self.case.assertEqual(r.status, 200, r.body)
        return r.json()["commands"]

    def assigned(self, n, timeout=10):
        """The next `n` assignments: the controller dispatches on its loop after answering the
        request that made the job, so they may take a poll or two to appear."""
        got = []
        wait_for(lambda: got.extend(c["assignment"] for c in self.work() if c["type"] == "assign")
                 or len(got) >= n, timeout, "%d assignment(s)" % n)
        self.case.assertEqual(len(got), n, got)
        return got

    def report(self, job, token, kind, data):
        self.seq += 1
        return self.call("/fleet/v1/events", {"events": [{"seq": self.seq, "jobId": job, "token": token,
                                                          "type": kind, "data": data}]})


class FleetTest(FleetCase):
    def add_job(self, name):
        self.add_file(name, 1000)
        return self.add_url_job("/" + name)

    def test_an_agent_joins_once_reports_itself_and_keeps_its_credential(self):
        agent = self.start_agent("box-1", max_jobs=3)
        cred = os.path.join(agent.data_dir, "secrets", "agent.json")
        self.assertEqual(stat.S_IMODE(os.stat(cred).st_mode), 0o600)
        with open(cred) as f:
            self.assertEqual(json.load(f)["agentId"], agent.agent_id)
        listed = self.fleet()[agent.agent_id]
        self.assertEqual((listed["name"], listed["state"], listed["health"], listed["maxJobs"], listed["running"]),
                         ("box-1", "active", "healthy", 3, 0))
        caps = listed["capabilities"]
        self.assertIn("engine-http", caps["engines"])
        self.assertIn("engine-libtorrent", caps["engines"])
        self.assertGreaterEqual(caps["score"], 1)
        self.assertGreater(caps["memoryBytes"], 0)
        self.assertGreater(caps["freeDiskBytes"], 0)
        self.assertGreaterEqual(caps["cores"], 1)
        tokens = self.daemon.socket_request("GET", "/admin/fleet/join-tokens").json()["joinTokens"]
        self.assertEqual([t["usedByAgent"] for t in tokens], [agent.agent_id])
        audit = self.daemon.socket_request("GET", "/admin/audit?action=fleet.agent.register").json()["entries"]
        self.assertEqual([e["target"] for e in audit], ["agent:" + agent.agent_id])
        out = self.cli("admin", "fleet", "ls").stdout
        self.assertRegex(out, agent.agent_id + r"\s+box-1\s+active\s+healthy\s+0/3\s+\d+\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC\s+0\.1\.0")
        # Restarted, it uses its credential; the token is spent and needed no more.
        agent.stop()
        agent.start()
        self.assertEqual(agent.agent_id, listed["id"])
        self.assertEqual(len(self.fleet()), 1)
        # The same token cannot make a second agent.
        with open(agent.config) as f:
            spent = [l.split(": ")[1] for l in f.read().splitlines() if "join_token" in l][0]
        other = type(agent)(self.tmp, "box-2", self.daemon.url, spent)
        with self.assertRaisesRegex(AssertionError, "join token is not valid"):
            other.start()

    def test_forged_replayed_and_stale_requests_are_refused_and_audited(self):
        a = SimulatedAgent(self, "sim", 1, 1)
        body = {"bootId": a.boot, "active": 0, "jobs": [], "capabilities": a.caps}
        r, headers = self.wire("/fleet/v1/heartbeat", body, a.id, a.secret)
        self.assertEqual(r.status, 200, r.body)
        raw = json.dumps(body).encode()
        cases = [
            ("replayed", headers, raw, "nonce used before"),
            ("stale", self.wire_headers(a, raw, ts=int(time.time()) - 301), raw, "outside the 5-minute window"),
            ("wrong secret", self.wire_headers(a, raw, secret="0" * 64), raw, "signature does not match"),
            ("changed body", self.wire_headers(a, raw), raw.replace(b'"active": 0', b'"active": 9'),
             "signature does not match"),
            ("unknown agent", self.wire_headers(a, raw, agent="f" * 16), raw, "unknown agent"),
            ("no signature", {"Content-Type": "application/json"}, raw, "malformed"),
        ]
        for label, hdrs, data, reason in cases:
            with self.subTest(label):
                r = self.daemon.request("POST", "/fleet/v1/heartbeat", raw_body=data, headers=hdrs, auth=False)
                self.assertEqual(r.status, 401, r.body)
                self.assertIn(reason, r.json()["error"]["message"])
        audit = self.daemon.socket_request("GET", "/admin/audit?action=fleet.wire.rejected&limit=100").json()["entries"]
        reasons = [e["detail"]["reason"] for e in audit]
        self.assertEqual(len(reasons), len(cases), reasons)
        for _label, _h, _d, reason in cases:
            self.assertTrue(any(reason in r for r in reasons), (reason, reasons))
        # A join token signs its own registration: another key does not.
        token = self.join_token()
        r, _ = self.wire("/fleet/v1/register", {"token": token, "name": "x", "bootId": "0" * 32,
                                                "capabilities": a.caps}, "join", "not the token")
        self.assertEqual(r.status, 401, r.body)
        self.assertEqual(len(self.fleet()), 1)

    def wire_headers(self, a, raw, ts=None, secret=None, agent=None):
        from fleet_support import sign
        return sign(secret or a.secret, agent or a.id, "POST", "/fleet/v1/heartbeat", raw, ts=ts)

    def test_dispatch_by_load_and_score_then_drain_and_remove(self):
        fast = SimulatedAgent(self, "fast", score=3, max_jobs=2)
        slow = SimulatedAgent(self, "slow", score=1, max_jobs=4)
        for a in (fast, slow):
            self.assertEqual(a.heartbeat().status, 200)
        # Cost (running + 1) / (max × score): fast 1/6 < slow 1/4, then slow 1/4 < fast 2/6.
        jobs = [self.add_job("j1"), self.add_job("j2")]
        got = {}
        for a in (fast, slow):
            got[a.id] = [x["jobId"] for x in a.assigned(1)]
        self.assertEqual(got, {fast.id: [jobs[0]], slow.id: [jobs[1]]})
        # Drained, the fast one gets nothing new though it would be cheaper (2/6 < 2/4).
        r = self.cli("admin", "fleet", "drain", fast.id)
        self.assertEqual(r.returncode, 0, r.stderr)
        j3 = self.add_job("j3")
        self.assertEqual([x["jobId"] for x in slow.assigned(1)], [j3])
        self.assertEqual(fast.work(), [])
        listed = self.fleet()
        self.assertEqual((listed[fast.id]["state"], listed[fast.id]["running"]), ("draining", 1))
        self.assertEqual(listed[slow.id]["running"], 2)
        self.assertEqual(self.daemon.job(jobs[0])["status"], "metadata_fetch")  # its running job goes on
        self.assertEqual(self.cli("admin", "fleet", "undrain", fast.id).returncode, 0)
        # Removed: its jobs go back to the queue and to the other agent, its credential stops working.
        # Only with a reason and a ticket: without, nothing changes.
        r = self.daemon.socket_request("DELETE", "/admin/fleet/agents/" + slow.id, {"reason": "retire the slow one"})
        self.assertEqual(r.status, 400, r.body)
        self.assertIn(slow.id, self.fleet())
        r = self.cli("admin", "fleet", "rm", slow.id, "--reason", "the slow agent is retired", "--ticket", "OPS-2")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn(slow.id, self.fleet())
        self.assertEqual(slow.heartbeat().status, 401)
        moved = [x["jobId"] for x in fast.assigned(1)]  # its one free slot
        self.assertIn(moved[0], (jobs[1], j3))
        waiting = ({jobs[1], j3} - set(moved)).pop()
        # Every slot is taken now: the other waits in the queue, as on a single node.
        self.assertEqual(fast.work(), [])
        self.assertEqual(self.daemon.job(waiting)["status"], "queued")
        audit = self.daemon.socket_request("GET", "/admin/audit?limit=100").json()["entries"]
        self.assertLessEqual({"fleet.agent.drain", "fleet.agent.undrain", "fleet.agent.remove"},
                             {e["action"] for e in audit})

    def test_an_agent_that_forges_a_storage_key_is_refused(self):
        a = SimulatedAgent(self, "sim", 1, 1)
        a.heartbeat()
        job = self.add_job("j1")
        token = a.assigned(1)[0]["token"]
        # Object keys of another job (or user) are never accepted as this job's files.
        r = a.report(job, token, "stored", {"ok": True, "error": "", "retryable": False,
                                            "files": [{"path": "j1", "size": 1000, "key": "local/%s/files/j1" % ("0" * 16)}]})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(self.daemon.job(job)["status"], "metadata_fetch")
        self.assertEqual(self.daemon.db_count("files"), 0)
        audit = self.daemon.socket_request("GET", "/admin/audit?action=fleet.event.rejected").json()["entries"]
        self.assertEqual(len(audit), 1)
        self.assertIn("not an object of its job", audit[0]["detail"]["error"])


class FleetHealthTest(FleetCase):
    controller_config = "fleet:\n  stale_after_s: 5\n"

    def agents_check(self):
        r = self.daemon.socket_request("GET", "/admin/health")
        self.assertEqual(r.status, 200, r.body)
        return next(c for c in r.json()["checks"] if c["name"] == "agents")

    def test_a_silent_agent_turns_stale_then_offline_and_its_jobs_move(self):
        a = SimulatedAgent(self, "quiet", 1, 2)
        a.heartbeat()
        self.assertEqual(self.agents_check()["status"], "ok")
        self.add_file("j1", 1000)
        job = self.daemon.api("POST", "/jobs", {"url": self.http.url("/j1")}, expect=201)
        job = job.get("job", job)["id"]
        token = a.assigned(1)[0]["token"]
        t0 = time.time()
        wait_for(lambda: self.fleet()[a.id]["health"] == "stale", 15, "the agent to turn stale")
        self.assertGreaterEqual(time.time() - t0, 4)
        wait_for(lambda: self.daemon.job(job)["status"] == "queued", 10, "its job to go back to the queue")
        self.assertIn("quiet stopped answering (no heartbeat for 5 s)", str(self.daemon.timeline(job)))
        # The health view and metrics see it: no agent takes work.
        check = self.agents_check()
        self.assertEqual((check["status"], check["reason"]), ("down", "0 taking work, 1 stale: no agent takes jobs"))
        wait_for(lambda: self.fleet()[a.id]["health"] == "offline", 15, "the agent to turn offline")
        metrics = self.daemon.socket_request("GET", "/metrics").body.decode()
        self.assertIn('tseeder_agents{state="active",health="offline"} 1', metrics)
        self.assertGreaterEqual(time.time() - t0, 9)
        # Back again: what it still reports of the old assignment is ignored and stopped.
        a.report(job, token, "progress", {"done": 500, "total": 1000, "down": 1, "up": 0, "peers": 1, "seeds": 1,
                                          "eta": None})
        commands = a.work()
        self.assertIn({"type": "stop", "jobId": job, "token": token}, commands)
        self.assertEqual(self.daemon.job(job)["progress"]["bytesDone"], 0)


if __name__ == "__main__":
    unittest.main()
