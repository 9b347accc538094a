CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE threads (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX threads_user_id_idx ON threads (user_id);

CREATE TABLE messages (
  id bigserial PRIMARY KEY,
  thread_id uuid NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  run_id uuid NOT NULL,
  role text NOT NULL CHECK (role IN ('user', 'assistant')),
  content text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_run_id_idx ON messages (run_id);
CREATE INDEX messages_thread_id_idx ON messages (thread_id);

-- Rows the usage_report tool sums for its caller.
CREATE TABLE usage (
  id bigserial PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  tokens integer NOT NULL CHECK (tokens >= 0),
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX usage_user_id_idx ON usage (user_id);
