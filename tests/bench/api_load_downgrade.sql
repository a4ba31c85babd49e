-- The store as migration 10 left it, for a build from before migration 11 (api_load.sh): the
-- indexes 11 and 12 added or widened go back to what the older build had and planned with, and
-- the usage table and triggers of 13, the column of 14, the tables of 15, the indexes of 16, the search index of 17 and the index of 18 the tables of 19 and 20, the table, column and indexes of 21 the table and indexes of 22 and the tables of 23 go.
DROP INDEX jobs_by_user_status;
CREATE INDEX jobs_by_user_status ON jobs (user_id, status, created_at);
DROP INDEX jobs_by_user_created;
DROP INDEX users_by_created;
DROP INDEX users_by_role;
DROP INDEX audit_by_action;
DROP INDEX dead_letters_by_time;
CREATE INDEX dead_letters_by_time ON dead_letters (dead_at);
DROP INDEX blocklist_by_time;
DROP INDEX jobs_by_infohash;
DROP TRIGGER storage_usage_file_added;
DROP TRIGGER storage_usage_file_removed;
DROP TRIGGER storage_usage_job_removed;
DROP TABLE storage_usage;
ALTER TABLE jobs DROP COLUMN bytes_uploaded;
DROP TABLE setting_changes;
DROP TABLE runtime_settings;
PRAGMA user_version = 10;
DROP INDEX jobs_by_created;
DROP INDEX jobs_by_status_created;
DROP INDEX jobs_by_engine_created;
DROP TRIGGER jobs_text_insert;
DROP TRIGGER jobs_text_delete;
DROP TRIGGER jobs_text_update;
DROP TABLE jobs_text;
DROP INDEX jobs_by_status_engine;
DROP TABLE webhook_events;
DROP TABLE card_customers;
DROP TABLE card_checkouts;
DROP TABLE crypto_payments;
DROP TABLE crypto_orders;
DROP INDEX users_by_plan_paid_until;
ALTER TABLE users DROP COLUMN plan_paid_until;
DROP TABLE crypto_prices;
DROP TABLE crypto_wallets;
DROP TABLE crypto_rates;
