import { renderEmail } from "./layout.js";

/** The sign-in e-mail: one single-use link valid 15 minutes. */
export function signInEmail(args: { name: string; url: string }) {
  return renderEmail({
    subject: "Karta: link do logowania",
    title: "Zaloguj się do Karty",
    blocks: [
      { paragraphs: [`Dzień dobry, ${args.name}.`, "Kliknij poniższy link, aby się zalogować. Link działa jeden raz i jest ważny 15 minut. O kolejne linki możesz poprosić najwyżej 3 razy na kwadrans."] },
      { action: { label: "Zaloguj się", url: args.url } },
      { paragraphs: ["Sign-in link for Karta: valid once, for 15 minutes. At most 3 links are sent per quarter of an hour."] },
    ],
    footer: "Jeśli nie prosiłeś(-aś) o logowanie, zignoruj tę wiadomość — bez kliknięcia nic się nie stanie.",
  });
}
