terraform {
  # Write-only arguments keep the database password out of the state: Terraform 1.11 or later.
  required_version = "~> 1.11"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}
