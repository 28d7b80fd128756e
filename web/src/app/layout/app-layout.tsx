import { useState } from "react";
import type { KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, NavLink, Outlet, useLocation, useMatch } from "react-router-dom";
import { hasRole, useMe } from "../../features/auth/api/me";
import { UserMenu } from "../../features/auth/components/user-menu";
import { useMailboxAvailable } from "../../features/mailbox/api/mailbox";
import { letterRegistrarRoles } from "../../features/letters/api/schemas";
import { SearchBox } from "../../features/search/components/search-box";
import { useProfileLanguage } from "../../features/auth/session";
import { useAuthToken } from "../../lib/auth-token";
import { paths } from "../paths";
import { LanguageSwitch } from "./language-switch";

export function AppLayout() {
  const { t } = useTranslation();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const [menuLocation, setMenuLocation] = useState(location.key);
  const signedIn = useAuthToken() !== null;
  const me = useMe().data;
  const registering = useMatch(paths.registerLetter) !== null;
  const hasMailbox = useMailboxAvailable();
  useProfileLanguage();

  // Any navigation closes the phone menu (adjusting state during render, not in an effect).
  if (menuLocation !== location.key) {
    setMenuLocation(location.key);
    setMenuOpen(false);
  }

  function closeOnEscape(event: KeyboardEvent) {
    if (event.key === "Escape" && menuOpen) {
      setMenuOpen(false);
      document.getElementById("menu-button")?.focus();
    }
  }

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <header className="site-header" onKeyDown={closeOnEscape}>
        <div className="site-header__bar">
          <Link to={signedIn ? paths.home : paths.login} className="brand">
            <span className="brand__mark" aria-hidden="true" />
            <span className="brand__name">{t("app.name")}</span>
          </Link>
          <button
            id="menu-button"
            type="button"
            className="menu-button"
            aria-expanded={menuOpen}
            aria-controls="site-menu"
            onClick={() => setMenuOpen((open) => !open)}
          >
            <span className="menu-button__icon" aria-hidden="true" />
            {t("nav.menu")}
          </button>
          <div id="site-menu" className="site-menu" data-open={menuOpen}>
            <nav className="site-nav" aria-label={t("nav.label")}>
              <ul>
                {signedIn && (
                  <li>
                    <NavLink to={paths.home} end>
                      {t("nav.home")}
                    </NavLink>
                  </li>
                )}
                {signedIn && (
                  <>
                    <li>
                      {/* On the registration page only "register" is current, not the inbox too. */}
                      <NavLink to={paths.letters} end={registering}>
                        {t("nav.letters")}
                      </NavLink>
                    </li>
                    <li>
                      <NavLink to={paths.files}>{t("nav.files")}</NavLink>
                    </li>
                  </>
                )}
                {letterRegistrarRoles.some((role) => hasRole(me, role)) && (
                  <li>
                    <NavLink to={paths.registerLetter}>{t("nav.registerLetter")}</NavLink>
                  </li>
                )}
                {(hasRole(me, "supervisor") || hasRole(me, "admin")) && (
                  <li>
                    <NavLink to={paths.reports}>{t("nav.reports")}</NavLink>
                  </li>
                )}
                {hasRole(me, "admin") && (
                  <>
                    <li>
                      <NavLink to={paths.adminUsers}>{t("nav.users")}</NavLink>
                    </li>
                    <li>
                      <NavLink to={paths.adminDepartments}>{t("nav.departments")}</NavLink>
                    </li>
                    <li>
                      <NavLink to={paths.adminSettings}>{t("nav.settings")}</NavLink>
                    </li>
                  </>
                )}
                {hasRole(me, "operator") && (
                  <li>
                    <NavLink to={paths.operatorAgencies}>{t("nav.agencies")}</NavLink>
                  </li>
                )}
                <li>
                  <NavLink to={paths.status}>{t("nav.status")}</NavLink>
                </li>
                {hasMailbox && (
                  <li>
                    <NavLink to={paths.devMailbox}>{t("nav.mailbox")}</NavLink>
                  </li>
                )}
                {!signedIn && (
                  <li>
                    <NavLink to={paths.login}>{t("nav.login")}</NavLink>
                  </li>
                )}
              </ul>
            </nav>
            <LanguageSwitch />
            {signedIn && <UserMenu profilePath={paths.profile} />}
          </div>
          {signedIn && <SearchBox />}
        </div>
      </header>
      <main id="main" className="site-main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>{t("app.tagline")}</p>
      </footer>
    </div>
  );
}
