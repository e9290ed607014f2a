/** The queries «Пациенты» reads: cards, a card with its version, the card settings. */
import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { keys } from "../../api/keys";
import { unwrap } from "../../lib/problem";
import type { Card, CardQuery } from "./rules";

export const PAGE_SIZE = 25;

export interface CardSearchParams extends CardQuery {
  include_deleted: boolean;
  offset: number;
}

export function useCardSearch(params: CardSearchParams, enabled = true) {
  return useQuery({
    queryKey: [...keys.patients, params],
    enabled,
    placeholderData: (previous) => previous, // the table stays while the next page loads
    queryFn: async () =>
      unwrap(await api.GET("/api/patients/cards", { params: { query: { ...params, limit: PAGE_SIZE } } })),
  });
}

/** A card and its `ETag`, which every change sends back as `If-Match`. */
export interface VersionedCard {
  card: Card;
  etag: string;
}

export function etagOf(response: Response, card: Card): string {
  return response.headers.get("ETag") ?? `"${card.version}"`;
}

export function useCard(cardId: string) {
  return useQuery({
    queryKey: keys.card(cardId),
    queryFn: async (): Promise<VersionedCard> => {
      const result = await api.GET("/api/patients/cards/{card_id}", { params: { path: { card_id: cardId } } });
      const card = unwrap(result);
      return { card, etag: etagOf(result.response, card) };
    },
  });
}

export function useCardSettings() {
  return useQuery({
    queryKey: ["patients-settings"],
    staleTime: 5 * 60_000,
    queryFn: async () => unwrap(await api.GET("/api/patients/settings")),
  });
}
