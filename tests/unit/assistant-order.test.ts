import { describe, expect, it } from "vitest";
import { assistantsBySurname, surnameOf } from "../../functions/core/batch.js";

describe("assistants in surname order", () => {
  it.each([
    ["Anna Nowak", "Nowak"],
    ["Anna Maria Nowak-Kowalska", "Nowak-Kowalska"],
    ["  Łucja   Ćwik ", "Ćwik"],
    ["Prince", "Prince"],
  ])("reads the surname of %j as %j", (name, surname) => {
    expect(surnameOf(name)).toBe(surname);
  });

  it("orders by surname in Polish alphabetical order (Ć after C, Ł after L, Ź and Ż after Z), not by id", async () => {
    const names: Record<string, string> = {
      "p-01": "Piotr Żak",
      "p-02": "Zenon Źrebiec",
      "p-03": "Ola Zawada",
      "p-04": "Ewa Łukasik",
      "p-05": "Zofia Łęcka",
      "p-06": "Adam Lewandowski",
      "p-07": "Jan Ćwik",
      "p-08": "Anna Czarnecka",
      "p-09": "Anna Nowak-Kowalska",
      "p-10": "Barbara Nowak",
      "p-11": "Adam Nowak",
      "p-12": "Edward Ąbek",
      "p-13": "Jan Abacki",
    };
    const order = await assistantsBySurname(Object.keys(names), async (id) => names[id]);
    expect(order.map((id) => names[id])).toEqual([
      "Jan Abacki",
      "Edward Ąbek",
      "Anna Czarnecka",
      "Jan Ćwik",
      "Adam Lewandowski",
      "Zofia Łęcka",
      "Ewa Łukasik",
      "Adam Nowak",
      "Barbara Nowak",
      "Anna Nowak-Kowalska",
      "Ola Zawada",
      "Zenon Źrebiec",
      "Piotr Żak",
    ]);
  });

  it("keeps namesakes in a fixed order by id", async () => {
    const order = await assistantsBySurname(["p-b", "p-c", "p-a"], async () => "Anna Nowak");
    expect(order).toEqual(["p-a", "p-b", "p-c"]);
  });
});
