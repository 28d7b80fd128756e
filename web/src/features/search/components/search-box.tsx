import { useEffect, useId, useState } from "react";
import type { FormEvent, KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { useLocation, useNavigate } from "react-router-dom";
import { resultPath, useSearchSuggestions, type SearchItem } from "../api/search";
import { Highlight, searchTerms } from "./highlight";
import "../search.css";

const DEBOUNCE_MS = 250;

function useDebounced(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * The search box of the page header: suggestions as you type (a combobox with a listbox, keyboard
 * and screen-reader friendly); Enter opens the chosen suggestion, or the results page.
 */
export function SearchBox() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const id = useId();
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [closedAt, setClosedAt] = useState(location.key);
  const typed = useDebounced(text.trim().length >= 2 ? text : "", DEBOUNCE_MS);
  const suggestions = useSearchSuggestions(typed);
  const items: SearchItem[] = typed && open ? (suggestions.data ?? []) : [];
  const listId = `${id}-suggestions`;
  const showList = open && typed.length > 0;

  // A navigation closes the suggestions (adjusting state during render, not in an effect).
  if (closedAt !== location.key) {
    setClosedAt(location.key);
    setOpen(false);
    setActive(-1);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const chosen = items[active];
    if (chosen) {
      void navigate(resultPath(chosen));
    } else if (text.trim()) {
      void navigate(`/search?${new URLSearchParams({ q: text.trim() })}`);
    }
    setOpen(false);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" && items.length > 0) {
      event.preventDefault();
      setOpen(true);
      setActive((i) => (i + 1) % items.length);
    } else if (event.key === "ArrowUp" && items.length > 0) {
      event.preventDefault();
      setActive((i) => (i <= 0 ? items.length - 1 : i - 1));
    } else if (event.key === "Escape" && open) {
      // The first Escape only closes the suggestions (a search field would also clear its text).
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
      setActive(-1);
    }
  }

  const terms = searchTerms(typed);
  return (
    <form role="search" className="search-box" onSubmit={submit} aria-label={t("search.label")}>
      <label className="visually-hidden" htmlFor={`${id}-input`}>
        {t("search.label")}
      </label>
      <input
        id={`${id}-input`}
        type="search"
        role="combobox"
        autoComplete="off"
        placeholder={t("search.placeholder")}
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={active >= 0 && items[active] ? `${listId}-${active}` : undefined}
        value={text}
        maxLength={200}
        onChange={(event) => {
          setText(event.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      <button type="submit" className="search-box__button">
        {t("search.submit")}
      </button>
      <ul id={listId} role="listbox" className="search-box__list" hidden={!showList} aria-label={t("search.suggestions")}>
        {items.map((item, index) => (
          <li
            key={`${item.kind}-${item.id}`}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === active}
            className="search-box__option"
            // Keep the focus in the box, so the click is not lost to the blur that closes the list.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => {
              setOpen(false);
              void navigate(resultPath(item));
            }}
          >
            <span className="search-box__title">
              <Highlight text={item.title} terms={terms} />
            </span>
            <span className="search-box__meta">
              {t(`search.kind.${item.kind}`)} · <Highlight text={item.reference} terms={terms} />
              {item.overdue && ` · ${t("letters.overdue")}`}
            </span>
          </li>
        ))}
        {showList && suggestions.isSuccess && items.length === 0 && (
          <li className="search-box__empty" role="presentation">
            {t("search.noSuggestions")}
          </li>
        )}
      </ul>
    </form>
  );
}
