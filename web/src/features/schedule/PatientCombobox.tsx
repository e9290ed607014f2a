import { useQuery } from "@tanstack/react-query";
import { forwardRef, useEffect, useId, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, type Schemas } from "../../api/client";
import { keys } from "../../api/keys";
import { unwrap } from "../../lib/problem";
import { formatDate } from "../../lib/time";
import type { ChosenCard } from "./bookingForm";

type Card = Schemas["PatientsCardRead"];

/** How a typed text is searched (PAT-3): digits are a phone or a card number, words are names. */
export function searchKind(text: string): "name" | "digits" | null {
  const trimmed = text.trim();
  if (trimmed.length < 2) return null;
  return /^[+\d\s()-]+$/.test(trimmed) ? "digits" : "name";
}

async function findCards(text: string): Promise<Card[]> {
  const kind = searchKind(text);
  if (kind === null) return [];
  const page = { limit: 10 };
  if (kind === "name") {
    return unwrap(await api.GET("/api/patients/cards", { params: { query: { ...page, q: text.trim() } } })).items;
  }
  const digits = text.replace(/\D/g, "");
  // A number of 4+ digits may be either: both searches, one list.
  const [byNumber, byPhone] = await Promise.all([
    api.GET("/api/patients/cards", { params: { query: { ...page, card_number: digits } } }).then(unwrap),
    digits.length >= 4
      ? api.GET("/api/patients/cards", { params: { query: { ...page, phone: digits } } }).then(unwrap)
      : Promise.resolve({ items: [] as Card[] }),
  ]);
  const found = new Map<string, Card>();
  for (const card of [...byNumber.items, ...byPhone.items]) found.set(card.id, card);
  return [...found.values()];
}

export function cardLabel(card: Pick<Card, "last_name" | "first_name" | "middle_name" | "card_number">): string {
  return `${[card.last_name, card.first_name, card.middle_name].filter(Boolean).join(" ")}, № ${card.card_number}`;
}

function useDebounced(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

interface PatientComboboxProps {
  id?: string;
  onChoose(card: ChosenCard): void;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
}

/**
 * «Пациент»: a card found by name, phone or card number, as an ARIA combobox (arrow keys move
 * through the options, Enter chooses, Escape closes the list without closing the dialog).
 */
export const PatientCombobox = forwardRef<HTMLInputElement, PatientComboboxProps>(function PatientCombobox(
  { id, onChoose, ...aria },
  ref,
) {
  const { t } = useTranslation("schedule");
  const listId = useId();
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const query = useDebounced(text, 250);
  const found = useQuery({
    queryKey: [...keys.patients, "typeahead", query],
    queryFn: () => findCards(query),
    enabled: searchKind(query) !== null,
    staleTime: 10_000,
  });
  const cards = searchKind(query) === null ? [] : (found.data ?? []);
  const expanded = open && searchKind(text) !== null;

  function choose(card: Card) {
    onChoose({ id: card.id, label: cardLabel(card) });
    setText("");
    setOpen(false);
    setActive(-1);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setOpen(true);
      setActive((current) => Math.min(cards.length - 1, current + 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((current) => Math.max(0, current - 1));
    } else if (event.key === "Enter" && expanded && active >= 0 && cards[active]) {
      event.preventDefault(); // choose, do not submit
      choose(cards[active]);
    } else if (event.key === "Escape" && expanded) {
      event.preventDefault();
      event.stopPropagation(); // the list closes, the dialog stays
      setOpen(false);
    }
  }

  return (
    <div className="combobox">
      <input
        ref={ref}
        id={id}
        type="text"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        placeholder={t("dialog.patientHint")}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        {...aria}
      />
      <ul id={listId} role="listbox" aria-label={t("dialog.cards")} className="combobox-list" hidden={!expanded}>
        {expanded && found.isFetching && cards.length === 0 && (
          <li role="option" aria-disabled="true" aria-selected="false" className="muted">
            {t("dialog.searching")}
          </li>
        )}
        {expanded && !found.isFetching && cards.length === 0 && (
          <li role="option" aria-disabled="true" aria-selected="false" className="muted">
            {t("dialog.noCards")}
          </li>
        )}
        {expanded &&
          cards.map((card, index) => (
            <li
              key={card.id}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              className={index === active ? "active" : undefined}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(card)}
            >
              <span>{cardLabel(card)}</span>
              <span className="muted">
                {[card.birth_date ? formatDate(card.birth_date) : null, card.mobile_phone].filter(Boolean).join(" · ")}
              </span>
            </li>
          ))}
      </ul>
    </div>
  );
});
