import { useState } from "react";
import type { KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useMe } from "../api/me";
import { useSignOut } from "../session";

/** The signed-in user's name in the header, opening to the profile link and sign-out. */
export function UserMenu({ profilePath }: { profilePath: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const signOut = useSignOut();
  const [open, setOpen] = useState(false);

  function closeOnEscape(event: KeyboardEvent) {
    if (event.key === "Escape" && open) {
      event.stopPropagation();
      setOpen(false);
      document.getElementById("user-menu-button")?.focus();
    }
  }

  return (
    <div className="user-menu" onKeyDown={closeOnEscape}>
      <button
        id="user-menu-button"
        type="button"
        className="user-menu__button"
        aria-expanded={open}
        aria-controls="user-menu-panel"
        onClick={() => setOpen((value) => !value)}
      >
        <span className="user-menu__avatar" aria-hidden="true">
          {(me.data?.name ?? "?").trim().charAt(0).toUpperCase()}
        </span>
        <span className="user-menu__name">{me.data?.name ?? t("common.loading")}</span>
        <span className="visually-hidden">{t("userMenu.label")}</span>
      </button>
      <div id="user-menu-panel" className="user-menu__panel" hidden={!open}>
        {me.data && <p className="user-menu__email">{me.data.email}</p>}
        <Link className="user-menu__item" to={profilePath} onClick={() => setOpen(false)}>
          {t("nav.profile")}
        </Link>
        <button type="button" className="user-menu__item" onClick={signOut}>
          {t("userMenu.signOut")}
        </button>
      </div>
    </div>
  );
}
