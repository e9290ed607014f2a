import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { tokenUser } from "./claims";
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
  const user = useMemo((): User | null | undefined => {
    const claims = token ? tokenUser(token) : null;
    if (!claims) return restoring ? undefined : null;
    const rights = claims.rights;
    return { id: claims.id, username: claims.username, rights, can: (right) => hasRight(rights, right) };
  }, [token, restoring]);
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
