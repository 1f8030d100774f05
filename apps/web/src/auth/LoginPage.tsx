/** Sign in or create an account (REST /api/auth/register + /api/auth/token). */
import { useState, type ReactNode } from 'react';
import { useSubmit } from '../ui/use-submit.js';
import { session } from './session.js';

type Mode = 'login' | 'register';

export function LoginPage(): ReactNode {
  const [mode, setMode] = useState<Mode>('login');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const submission = useSubmit();
  const { busy, error } = submission;

  // Signed in: the app replaces this page.
  const submit = submission.onSubmit(async () => {
    if (mode === 'login') await session.login(username.trim(), password);
    else await session.register(username.trim(), password, name.trim());
  });

  const registering = mode === 'register';
  return (
    <div className="login-screen">
      <form className="card login-card" onSubmit={submit} data-testid="login-form" data-mode={mode}>
        <div className="brand brand-large">
          <span className="brand-mark" />
          Switchboard
        </div>
        <h1>{registering ? 'Create an account' : 'Sign in'}</h1>
        <label>
          Username
          <input
            data-testid="login-username"
            autoComplete="username"
            value={username}
            onChange={(event) => setUsername(event.target.value)}
            required
            maxLength={150}
            autoFocus
          />
        </label>
        {registering && (
          <label>
            Display name
            <input data-testid="login-name" autoComplete="name" value={name} onChange={(event) => setName(event.target.value)} maxLength={200} />
          </label>
        )}
        <label>
          Password
          <input
            data-testid="login-password"
            type="password"
            autoComplete={registering ? 'new-password' : 'current-password'}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            required
            minLength={registering ? 8 : undefined}
          />
        </label>
        {error && (
          <div className="error-banner" role="alert" data-testid="login-error">
            {error}
          </div>
        )}
        <button type="submit" className="primary" data-testid="login-submit" disabled={busy}>
          {busy ? 'Please wait…' : registering ? 'Create account' : 'Sign in'}
        </button>
        <button
          type="button"
          className="link-button"
          data-testid="login-mode-toggle"
          onClick={() => {
            setMode(registering ? 'login' : 'register');
            submission.setError(null);
          }}
        >
          {registering ? 'Have an account? Sign in' : 'New here? Create an account'}
        </button>
      </form>
    </div>
  );
}
