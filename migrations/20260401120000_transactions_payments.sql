-- Seed 002, file 3: transactions and payments.
-- Tables: transactions (range-partitioned by month on created_at), payment_methods,
--         transaction_events, and transaction_keys (added, see below).
-- Functions: create_transaction, update_transaction_status; added:
--            generate_transaction_reference, record_transaction_event (trigger).
-- Views: transaction_summary, user_recent_transactions.
--
-- Why transaction_keys: a unique index on a partitioned table must contain the
-- partition key, so "one transaction per reference" and "one transaction per
-- idempotency key" cannot be enforced on transactions itself. The small,
-- unpartitioned transaction_keys table holds those unique keys, serialises
-- concurrent create_transaction calls with the same key through its unique
-- index, and is what transaction_events references.

CREATE TABLE payment_methods (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  type text NOT NULL CHECK (type IN ('card', 'mobile_money', 'bank_account', 'wallet', 'cash')),
  provider text,
  label text,
  -- Ciphertext produced by the application; the database never sees the plain account details.
  account_details_encrypted bytea,
  last_four text CHECK (last_four IS NULL OR last_four ~ '^[0-9]{4}$'),
  is_default boolean NOT NULL DEFAULT false,
  is_verified boolean NOT NULL DEFAULT false,
  verified_at timestamptz,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled', 'expired')),
  expires_at timestamptz,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_payment_methods_user ON payment_methods (user_id);
-- At most one default method per user.
CREATE UNIQUE INDEX idx_payment_methods_one_default ON payment_methods (user_id) WHERE is_default;
CREATE TRIGGER trg_payment_methods_updated_at BEFORE UPDATE ON payment_methods
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE transaction_keys (
  transaction_id uuid PRIMARY KEY,
  reference text NOT NULL UNIQUE,
  user_id uuid NOT NULL,
  idempotency_key text CHECK (idempotency_key IS NULL OR length(idempotency_key) BETWEEN 1 AND 255),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, idempotency_key)
);

CREATE TABLE transactions (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  reference text NOT NULL,
  user_id uuid NOT NULL,
  type text NOT NULL CHECK (type IN ('debit', 'credit', 'transfer', 'payment', 'refund', 'fee', 'commission')),
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'cancelled', 'reversed')),
  amount numeric(20, 4) NOT NULL CHECK (amount > 0),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  idempotency_key text,
  correlation_id text,
  payment_method_id uuid REFERENCES payment_methods (id) ON DELETE SET NULL,
  description text,
  error_message text,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  completed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, created_at),
  FOREIGN KEY (id) REFERENCES transaction_keys (transaction_id)
) PARTITION BY RANGE (created_at);

CREATE INDEX idx_transactions_user_created ON transactions (user_id, created_at DESC);
CREATE INDEX idx_transactions_status_created ON transactions (status, created_at DESC);
CREATE INDEX idx_transactions_reference ON transactions (reference);
CREATE INDEX idx_transactions_correlation ON transactions (correlation_id) WHERE correlation_id IS NOT NULL;
CREATE INDEX idx_transactions_pending ON transactions (created_at) WHERE status IN ('pending', 'processing');
CREATE TRIGGER trg_transactions_updated_at BEFORE UPDATE ON transactions
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE transaction_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  transaction_id uuid NOT NULL REFERENCES transaction_keys (transaction_id) ON DELETE CASCADE,
  event_type text NOT NULL CHECK (event_type IN ('created', 'status_changed')),
  old_status text,
  new_status text NOT NULL,
  triggered_by text NOT NULL,
  error_message text,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX idx_transaction_events_txn ON transaction_events (transaction_id, created_at);

ALTER TABLE payment_methods ENABLE ROW LEVEL SECURITY;
ALTER TABLE transaction_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE transactions ENABLE ROW LEVEL SECURITY;
ALTER TABLE transaction_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_role_full_access ON payment_methods FOR ALL TO service_role USING (true) WITH CHECK (true);
CREATE POLICY users_read_own ON payment_methods FOR SELECT TO authenticated USING (auth.uid() = user_id);
CREATE POLICY service_role_full_access ON transaction_keys FOR ALL TO service_role USING (true) WITH CHECK (true);
CREATE POLICY users_read_own ON transaction_keys FOR SELECT TO authenticated USING (auth.uid() = user_id);
CREATE POLICY service_role_full_access ON transactions FOR ALL TO service_role USING (true) WITH CHECK (true);
CREATE POLICY users_read_own ON transactions FOR SELECT TO authenticated USING (auth.uid() = user_id);
CREATE POLICY service_role_full_access ON transaction_events FOR ALL TO service_role USING (true) WITH CHECK (true);
CREATE POLICY users_read_own ON transaction_events FOR SELECT TO authenticated
  USING (EXISTS (SELECT 1 FROM transaction_keys k WHERE k.transaction_id = transaction_events.transaction_id
                                                  AND k.user_id = auth.uid()));

SELECT create_monthly_partitions('transactions', 3);

-- TXN-YYYYMMDD-XXXXXXXXXXXX: sortable by day, 48 random bits per day; the
-- unique index on transaction_keys.reference is the final guard.
CREATE FUNCTION generate_transaction_reference() RETURNS text
LANGUAGE sql VOLATILE
AS $$
  SELECT 'TXN-' || to_char(now() AT TIME ZONE 'UTC', 'YYYYMMDD') || '-'
         || upper(substr(md5(gen_random_uuid()::text), 1, 12))
$$;

-- Writes the audit trail: one 'created' event per new transaction and one
-- 'status_changed' event per status change, whoever makes the change.
CREATE FUNCTION record_transaction_event() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO transaction_events (transaction_id, event_type, old_status, new_status, triggered_by)
    VALUES (NEW.id, 'created', NULL, NEW.status, coalesce(auth.uid()::text, current_user));
  ELSIF NEW.status IS DISTINCT FROM OLD.status THEN
    INSERT INTO transaction_events (transaction_id, event_type, old_status, new_status, triggered_by, error_message)
    VALUES (NEW.id, 'status_changed', OLD.status, NEW.status, coalesce(auth.uid()::text, current_user),
            NEW.error_message);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER trg_transactions_events AFTER INSERT OR UPDATE OF status ON transactions
  FOR EACH ROW EXECUTE FUNCTION record_transaction_event();

-- Creates a pending transaction and returns its id. A repeated idempotency key
-- (per user) returns the first transaction's id instead of creating another,
-- also under concurrent calls: the second caller waits on the unique index
-- until the first commits. Reusing a key with a different type, amount or
-- currency is an error, as payment APIs treat it.
CREATE FUNCTION create_transaction(
  p_user_id uuid,
  p_type text,
  p_amount numeric,
  p_currency text DEFAULT 'RWF',
  p_idempotency_key text DEFAULT NULL,
  p_metadata jsonb DEFAULT '{}'::jsonb
) RETURNS uuid
LANGUAGE plpgsql
AS $$
DECLARE
  v_id uuid := gen_random_uuid();
  v_reference text := generate_transaction_reference();
  v_existing transactions%ROWTYPE;
BEGIN
  IF p_user_id IS NULL THEN
    RAISE EXCEPTION 'user_id is required' USING ERRCODE = 'not_null_violation';
  END IF;
  INSERT INTO transaction_keys (transaction_id, reference, user_id, idempotency_key)
  VALUES (v_id, v_reference, p_user_id, p_idempotency_key)
  ON CONFLICT (user_id, idempotency_key) DO NOTHING;
  IF NOT FOUND THEN
    SELECT t.* INTO v_existing
    FROM transaction_keys k JOIN transactions t ON t.id = k.transaction_id
    WHERE k.user_id = p_user_id AND k.idempotency_key = p_idempotency_key;
    IF v_existing.type <> p_type OR v_existing.amount <> p_amount OR v_existing.currency <> upper(p_currency) THEN
      RAISE EXCEPTION 'idempotency key % was already used with different parameters', p_idempotency_key
        USING ERRCODE = 'unique_violation';
    END IF;
    RETURN v_existing.id;
  END IF;
  INSERT INTO transactions (id, reference, user_id, type, amount, currency, idempotency_key, metadata)
  VALUES (v_id, v_reference, p_user_id, p_type, p_amount, upper(p_currency), p_idempotency_key,
          coalesce(p_metadata, '{}'::jsonb));
  RETURN v_id;
END
$$;

-- Moves a transaction along its lifecycle and returns true. Allowed moves:
--   pending -> processing | completed | failed | cancelled
--   processing -> completed | failed | cancelled
--   completed -> reversed
-- failed, cancelled and reversed are final. Anything else raises, so a
-- concurrent double completion cannot go unnoticed (the row is locked first).
CREATE FUNCTION update_transaction_status(
  p_transaction_id uuid,
  p_new_status text,
  p_error_message text DEFAULT NULL
) RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
  v_current text;
BEGIN
  SELECT status INTO v_current FROM transactions WHERE id = p_transaction_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'transaction % not found', p_transaction_id USING ERRCODE = 'no_data_found';
  END IF;
  IF NOT (
       (v_current = 'pending' AND p_new_status IN ('processing', 'completed', 'failed', 'cancelled'))
    OR (v_current = 'processing' AND p_new_status IN ('completed', 'failed', 'cancelled'))
    OR (v_current = 'completed' AND p_new_status = 'reversed')
  ) THEN
    RAISE EXCEPTION 'transaction % cannot move from % to %', p_transaction_id, v_current, p_new_status
      USING ERRCODE = 'check_violation';
  END IF;
  UPDATE transactions
  SET status = p_new_status,
      error_message = coalesce(p_error_message, error_message),
      completed_at = CASE WHEN p_new_status = 'completed' THEN now() ELSE completed_at END
  WHERE id = p_transaction_id;
  RETURN true;
END
$$;

CREATE VIEW transaction_summary WITH (security_invoker = true) AS
SELECT status,
       type,
       currency,
       count(*) AS transaction_count,
       sum(amount) AS total_amount,
       avg(amount) AS avg_amount,
       min(created_at) AS first_created_at,
       max(created_at) AS last_created_at
FROM transactions
GROUP BY status, type, currency;

CREATE VIEW user_recent_transactions WITH (security_invoker = true) AS
SELECT user_id,
       currency,
       count(*) AS transaction_count,
       count(*) FILTER (WHERE status = 'completed') AS completed_count,
       count(*) FILTER (WHERE status = 'failed') AS failed_count,
       coalesce(sum(amount) FILTER (WHERE status = 'completed' AND type IN ('credit', 'refund')), 0) AS total_in,
       coalesce(sum(amount) FILTER (WHERE status = 'completed'
                                      AND type IN ('debit', 'payment', 'fee', 'commission', 'transfer')), 0) AS total_out,
       max(created_at) AS last_transaction_at
FROM transactions
WHERE created_at >= now() - interval '30 days'
GROUP BY user_id, currency;
