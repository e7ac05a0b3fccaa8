def test_cast_builds(cast):
    assert cast.body.path == f"{cast.region_body.path}{cast.body.pk}/"
    response = cast.client(cast.secretary).get(f"/bodies/{cast.body.pk}/")
    assert response.status_code == 200
    assert cast.chair.person.full_name in response.content.decode()
