// A one-time message carried to the next page ("Visit saved"), announced there with role=status.
let message: string | undefined;

export function setFlash(text: string): void {
  message = text;
}

export function takeFlash(): string | undefined {
  const text = message;
  message = undefined;
  return text;
}
