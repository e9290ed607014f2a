import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { api } from "../api/client";
import { keys } from "../api/keys";
import { unwrap } from "../lib/problem";
import { hasRight } from "./rights";
import { currentToken, onSessionChange, refresh } from "./session";

export interface User {
  id: string;
  username: string;
  rights: string[];
  can(right: string): boolean;
}

interface AuthState {
  /** undefined while the session is being restored after a reload */
  user: User | null | undefined;
}

const AuthContext = createContext<AuthState>({ user: undefined });

export function AuthProvider({ children }: { children: ReactNode }) {
  const queries = useQueryClient();
  const [token, setToken] = useState(currentToken());
  const [restoring, setRestoring] = useState(true);
  useEffect(() => {
    const stop = onSessionChange(() => {
      setToken(currentToken());
      if (!currentToken()) queries.clear(); // nothing of the last user stays in memory
    });
    void refresh().finally(() => setRestoring(false));
    return stop;
  }, [queries]);
  const me = useQuery({
    queryKey: [...keys.me, token],
    enabled: Boolean(token),
    staleTime: 60_000,
    queryFn: async () => unwrap(await api.GET("/api/auth/me")),
  });
  let user: User | null | undefined;
  if (!token) user = restoring ? undefined : null;
  else if (me.data) {
    const rights = me.data.rights;
    user = { id: me.data.id, username: me.data.username, rights, can: (right) => hasRight(rights, right) };
  } else user = me.isError ? null : undefined;
  return <AuthContext.Provider value={{ user }}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  return useContext(AuthContext);
}

/** The signed-in user (inside the signed-in part of the app). */
export function useUser(): User {
  const { user } = useAuth();
  if (!user) throw new Error("useUser outside the signed-in app");
  return user;
}
