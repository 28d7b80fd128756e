import { useTranslation } from "react-i18next";
import type { ComponentState } from "../api/get-health";

export function StatusBadge({ state }: { state: ComponentState }) {
  const { t } = useTranslation();
  // The badge carries text as well as colour, so it reads the same without colour vision or a screen.
  return (
    <span className={`badge badge--${state}`}>
      <span className="badge__dot" aria-hidden="true" />
      {t(`status.badge.${state}`)}
    </span>
  );
}
