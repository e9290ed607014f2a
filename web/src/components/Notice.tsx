import { createContext, useCallback, useContext, useState, type ReactNode } from "react";

type Tone = "ok" | "error";
interface NoticeState {
  text: string;
  tone: Tone;
  key: number;
}

const NoticeContext = createContext<(text: string, tone?: Tone) => void>(() => undefined);

/** One message at a time at the bottom right ("Запись перенесена", or why something was refused). */
export function NoticeProvider({ children }: { children: ReactNode }) {
  const [notice, setNotice] = useState<NoticeState | null>(null);
  const show = useCallback((text: string, tone: Tone = "ok") => {
    const key = Date.now();
    setNotice({ text, tone, key });
    setTimeout(() => setNotice((current) => (current?.key === key ? null : current)), tone === "error" ? 8000 : 4000);
  }, []);
  return (
    <NoticeContext.Provider value={show}>
      {children}
      {notice && (
        <div className={`toast ${notice.tone}`} role={notice.tone === "error" ? "alert" : "status"}>
          {notice.text}
        </div>
      )}
    </NoticeContext.Provider>
  );
}

export function useNotice(): (text: string, tone?: Tone) => void {
  return useContext(NoticeContext);
}
