-- Whether a job's content is a private torrent (1), known to be public (0), or not told (NULL):
-- private content is shared across accounts only with those who uploaded its .torrent.
ALTER TABLE jobs ADD COLUMN content_private INTEGER;

-- Failed logins are counted per account and client address in memory now (auth/login_throttle):
-- an account-wide lock let anyone lock its owner out.
ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN locked_until;
