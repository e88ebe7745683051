defmodule Linx.VerbTest do
  use ExUnit.Case, async: true
  doctest Linx.Verb

  test "call/2 with a map, a keyword list or nothing" do
    assert Linx.Verb.call("example.add", %{"a" => 1, "b" => 2, "c" => 3}) == {:ok, 6}
    assert Linx.Verb.call("example.add", a: 1, b: 2) == {:ok, 3}
    assert Linx.Verb.call("nif_test.types") |> elem(0) == :ok
    assert Linx.Verb.call("nif_test.types", []) |> elem(0) == :ok
  end

  test "errors are Linx.Error exceptions" do
    assert {:error, %Linx.Error{} = e} = Linx.Verb.call("example.fail", errno: 13)
    assert e.errno == :eacces and e.code == 13
    assert Exception.message(e) == "fail: example: failing on request (eacces)"
    assert_raise Linx.Error, ~r/unknown verb/, fn -> Linx.Verb.call!("example.nope") end
    assert Linx.Verb.call!("example.add", a: 2, b: 2) == 4
  end

  test "list/0 describes the verbs and their parameters" do
    verbs = Linx.Verb.list()
    assert Enum.map(verbs, & &1.name) == Enum.sort(Enum.map(verbs, & &1.name))
    add = Enum.find(verbs, &(&1.name == "example.add"))
    assert add.summary == "Add two or three integers"
    assert add.result_doc == "int: the sum"

    assert [%{name: "a", types: [:int], flags: [:required]}, _, %{name: "c", flags: []}] =
             add.params

    sleep = Enum.find(verbs, &(&1.name == "nif_test.sleep"))
    assert sleep.flags == [:blocking]
  end

  test "plugins/0 and load_plugin/1" do
    names = Enum.map(Linx.Verb.plugins(), & &1.name)
    assert "example" in names and "nif_test" in names
    assert {:error, %Linx.Error{op: "load"}} = Linx.Verb.load_plugin("/nonexistent/x.so")
    assert {:error, %Linx.Error{op: "load"}} = Linx.Verb.load_plugin("/etc/passwd")
    assert {:error, %Linx.Error{errno: :einval}} = Linx.Verb.load_plugin("")
    assert {:error, %Linx.Error{errno: :einval}} = Linx.Verb.load_plugin([:x])
    assert {:error, %Linx.Error{errno: :einval}} = Linx.Verb.load_plugin(nil)
    assert {:error, %Linx.Error{op: "load"}} = Linx.Verb.load_plugin(~c"/nonexistent.so")
  end
end
