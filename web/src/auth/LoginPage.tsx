import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { LanguageSwitch } from "../layout/LanguageSwitch";
import { login, LoginRefused } from "./session";

export function LoginPage() {
  const { t, i18n } = useTranslation();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username, password, i18n.language);
    } catch (refused) {
      if (refused instanceof LoginRefused) {
        setError(refused.status === 429 ? t("login.locked") : refused.status === 401 ? t("login.refused") : refused.message);
      } else setError(t("login.unavailable"));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <form className="login-form" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">{t("appName")}</h1>
        <h2>{t("login.title")}</h2>
        <label>
          {t("login.username")}
          <input
            name="username"
            autoComplete="username"
            required
            autoFocus
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label>
          {t("login.password")}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p role="alert" className="form-error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t("login.submit")}
        </button>
        <LanguageSwitch />
      </form>
    </main>
  );
}
